import Foundation

/// The age screen: when it runs, what it asks, and what its answer decides
/// (knowledge/jurisdictions.yaml, knowledge/age-gate.yaml, intents/gates.yaml).
extension Engine {
  /// A message in the conversation: an answer to a pending question, a statement about
  /// the country or the age, a parent's consent step, or a question for the policy.
  func converse(_ message: String, state: inout SessionState, now: Date) throws(EngineError) -> (Turn, Trace) {
    let normalized = TextNormalizer.normalize(message)
    // A side question ("why did you say that?", "are you a bot?") is answered, and the
    // question the assistant asked still waits for its answer.
    if state.pending != nil, let side = understanding.ruleIntent(normalized), catalog.intent(side)?.aside == true {
      let held = state.pending
      var result = try disclosureTurn(side, normalized: normalized, state: state) ?? answer(message, state: &state)
      state.pending = held
      result.0.state = state.snapshot
      return result
    }
    if let step = state.pending {
      state.pending = nil
      // Saying where one lives, or giving an age again, is not an answer to a question
      // about a parent's address or a code; it may well be part of a complaint, though.
      var interrupts = false
      switch step {
      case .flow(let flow) where flow is ParentalConsentFlow || (flow as? ParentFlow)?.yieldsToScreenAnswers == true:
        interrupts =
          (state.ageGate != nil && catalog.cue("age_statement", matches: normalized))
          || countryStatement(in: normalized) != nil
      default:
        break
      }
      if !interrupts,
        let result = try continueStep(step, message: message, normalized: normalized, state: &state, now: now)
      {
        return result
      }
    }
    // A short message with an address, after the offer, is the parent's address; a long
    // one is more likely a question that happens to mention an address.
    if state.parentOffered, state.childPrivacy, state.parentalStatus != "pending",
      GateAnswers.wordCount(message) <= 6, let email = GateAnswers.email(in: message)
    {
      return try flowTurn(
        ParentalConsentFlow.request(
          contact: email, scope: state.heldForParent?.intent, context: flowContext(now), state: &state),
        state: &state)
    }
    if let (place, remainder) = countryStatement(in: normalized) {
      return try countryStated(place, remainder: remainder, state: &state, now: now)
    }
    if state.ageGate != nil, catalog.cue("age_statement", matches: normalized),
      case .success(let declared) = DeclaredAge.parse(message, now: now)
    {
      return try secondAnswer(declared.age(at: now), state: &state, now: now)
    }
    let (turn, trace) = answer(message, state: &state)
    let reference = GateAnswers.reference(in: message)
    if turn.intent.hasPrefix("consent."), let reference {
      // "review consent PC-7F3K2P" is about a parent's consent, not the person's own.
      return try parentTurn(ParentFlow.action(in: normalized) ?? .review, reference: reference, state: &state, now: now)
    }
    if let started = try FlowStarts.start(turn.intent, normalized: normalized, context: flowContext(now), state: &state)
    {
      return try flowTurn(started, state: &state)
    }
    if let disclosed = try disclosureTurn(turn.intent, normalized: normalized, state: state) {
      return disclosed
    }
    if let action = ParentAction(intent: turn.intent) {
      return try parentTurn(action, reference: reference, state: &state, now: now)
    }
    if let reference {
      return try parentTurn(.consent, reference: reference, state: &state, now: now)
    }
    if let request = GateAnswers.requestReference(in: message) {
      return try flowTurn(FlowStarts.requestStatus(request, context: flowContext(now), state: state), state: &state)
    }
    if turn.intent == "request.human_review" {
      // Always open, also to a child: a person can be reached to contest any decision.
      let action = GatedAction(intent: turn.intent, replies: turn.replies, sources: turn.sources, trace: trace)
      return try flowTurn(FlowStarts.request(action, context: flowContext(now), state: state), state: &state)
    }
    if catalog.intent(turn.intent)?.collects == true {
      return try gate(
        GatedAction(intent: turn.intent, replies: turn.replies, sources: turn.sources, trace: trace), state: &state)
    }
    return (turn, trace)
  }

  /// The answer to the question the assistant asked, or nil when the message is about
  /// something else (the question is then dropped and the message read as usual).
  private func continueStep(
    _ step: PendingStep, message: String, normalized: String, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace)? {
    switch step {
    case .country(let action):
      if catalog.cue("cancel", matches: normalized) { return gateTurn("age.cancelled", state: state) }
      if catalog.cue("decline", matches: normalized) || catalog.cue("no", matches: normalized) {
        state.countryAsked = true
        state.pending = .birth(then: action)
        // Someone who said "the EU" but not which country gets the strictest of the EU's.
        let unknown = state.region == nil ? "country.unknown" : "country.region_unknown"
        return gateTurn([unknown, "age.ask_birth_next"], values: countryValues(state), state: state)
      }
      if let place = countryAnswer(message, normalized: normalized) {
        // "The EU" does not say which country: asked which of its countries, still waiting.
        guard let code = place.country else { return askCountry(within: place, keeping: step, state: &state) }
        state.country = code
        state.region = nil
        state.countryAsked = true
        state.pending = .birth(then: action)
        let (confirmation, values) = countryConfirmation(place, state: state)
        return gateTurn([confirmation, "age.ask_birth_next"], values: values, state: state)
      }
      if case .success(let declared) = DeclaredAge.parse(message, now: now) {
        // A date instead of a country: the strictest rule applies (of the region's countries,
        // if one was named).
        state.countryAsked = true
        return try settle(age: declared.age(at: now), then: action, state: &state, now: now)
      }
      // An answer the screen cannot read is asked again; anything else is answered, and the
      // question still waits: a request is never dropped because of what was typed here.
      guard triesToAnswer(normalized) else {
        return try answerAside(message, keeping: step, state: &state, now: now)
      }
      state.pending = step
      return gateTurn("age.reask_country", state: state)
    case .birth(let action):
      // "no" to "what is your date of birth?" is a refusal to say: stop, keeping nothing.
      if catalog.cue("cancel", matches: normalized) || catalog.cue("no", matches: normalized) {
        return gateTurn("age.cancelled", state: state)
      }
      let problem: String
      switch DeclaredAge.parse(message, now: now) {
      case .success(let declared):
        return try settle(age: declared.age(at: now), then: action, state: &state, now: now)
      case .failure(.unreadable):
        // A question instead of a date is answered, and the date of birth still asked for.
        guard message.contains(where: \.isNumber) || triesToAnswer(normalized, long: true) else {
          return try answerAside(message, keeping: step, state: &state, now: now)
        }
        problem = "age.problem_unreadable"
      case .failure(.impossibleDate): problem = "age.problem_impossible"
      case .failure(.future): problem = "age.problem_future"
      case .failure(.implausible): problem = "age.problem_implausible"
      }
      state.pending = step
      return gateTurn("age.reask", values: ["problem": composer.templateReply(problem)], state: state)
    case .flow(let flow):
      return try self.step(flow, .text(message: message, normalized: normalized), state: &state, now: now)
    }
  }

  /// The first step of a parent's action on a consent (``ParentFlow``).
  private func parentTurn(
    _ action: ParentAction, reference: String?, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    try flowTurn(
      ParentFlow.start(action, reference: reference, context: flowContext(now), state: &state), state: &state)
  }

  /// Whether a message that is not the expected answer is still a try at one (asked
  /// again) rather than something else (answered): short, and not something the
  /// assistant recognises, like "good night" or a question about the policy.
  func triesToAnswer(_ normalized: String, long: Bool = false) -> Bool {
    guard long || GateAnswers.wordCount(normalized) <= 4, understanding.ruleIntent(normalized) == nil else {
      return false
    }
    let reading = understanding.interpret(normalized, topic: nil, topicTerms: [], choices: [])
    return reading.intent == "fallback"
  }

  /// Something that collects personal data was asked for: let it through, screen first,
  /// or hold it for a parent's consent.
  func gate(_ action: GatedAction, state: inout SessionState) throws(EngineError) -> (Turn, Trace) {
    guard let outcome = state.ageGate else {
      if state.country == nil && !state.countryAsked {
        state.pending = .country(then: action)
        return gateTurn("age.ask_country", state: state)
      }
      state.pending = .birth(then: action)
      return gateTurn("age.ask_birth", state: state)
    }
    // The parent may have answered, or revoked, from another process sharing the database:
    // what the store says decides, not what this session last heard.
    if let reference = state.parentalReference, let consent = try store.parentalConsent(reference: reference) {
      state.parentalStatus = consent.status
      if consent.status == "verified" {
        state.consentedScopes.insert(consent.detail ?? "*")
      } else {
        state.consentedScopes.remove(consent.detail ?? "*")
      }
    }
    if outcome == .adult || state.consentedScopes.contains(action.intent) || state.consentedScopes.contains("*") {
      return try proceed(action, state: &state, now: clock.now())
    }
    if state.parentalStatus == "pending", let reference = state.parentalReference {
      return gateTurn(
        "age.still_waiting", values: ["reference": reference, "status": "not yet given"], state: state)
    }
    state.pending = .flow(ParentalConsentFlow(then: action))
    state.heldForParent = action
    state.parentOffered = true
    if state.ageGateFromDevice && state.age == nil {
      // The screen is not offered again on a device that answered below the age.
      let values = ["where": "on this device", "outcome": outcomeText(outcome)]
      let decision = makeDecision(.redeclarationRefused, outcome: "refused", state: state, extra: values)
      return gateTurn(
        ["age.redeclaration_refused", "parent.offer"], values: values, state: state, decision: decision)
    }
    var (turn, trace) = childOutcomeTurn(outcome, state: state, thanks: false)
    if !state.consentedScopes.isEmpty {
      turn.replies.insert(Reply(text: composer.templateReply("parent.scope_other")), at: 0)
    }
    return (turn, trace)
  }

  /// The declared age decides.
  func settle(
    age: Int, then action: GatedAction?, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    state.age = age
    let outcome = AgeGateOutcome(age: age, rule: ageRule(state))
    state.ageGate = outcome
    guard outcome != .adult else {
      guard let action else { return gateTurn("age.adult", state: state) }
      var (turn, trace) = try proceed(action, state: &state, now: now)
      turn.replies.insert(Reply(text: composer.templateReply("age.adult")), at: 0)
      return (turn, trace)
    }
    let standing = try becameChild(outcome, state: &state, now: now, reason: "age screen: under the applicable age")
    if let purposes = action?.consentTo {
      // A child's conversation stays private: no parent can open logging or marketing either.
      var (turn, trace) = childOutcomeTurn(standing, state: state, thanks: true, offer: false)
      let refusal = try ConsentFlow.set(
        purposes, granted: true, method: "chat", context: flowContext(now), state: &state)
      if case .reply(let refused, _) = refusal {
        turn.replies += self.turn(for: refused, state: state).0.replies
        // The turn carries the age decision; the refusal is recorded all the same.
        if let decision = refused.decision { state.effect(.decision(decision)) }
      }
      return (turn, trace)
    }
    if let action {
      state.pending = .flow(ParentalConsentFlow(then: action))
      state.heldForParent = action
    }
    state.parentOffered = true
    return childOutcomeTurn(standing, state: state, thanks: true)
  }

  /// A child's session from now on: the device remembers the answer, and anything the
  /// session stored is deleted (and the deletion logged). Returns the outcome that stands:
  /// `outcome`, or a stricter one another session of the device recorded meanwhile.
  private func becameChild(
    _ outcome: AgeGateOutcome, state: inout SessionState, now: Date, reason: String
  ) throws(EngineError) -> AgeGateOutcome {
    var standing = outcome
    if let deviceHash = state.deviceHash {
      standing = try recordDeviceOutcome(outcome, deviceHash: deviceHash, now: now)
    }
    state.ageGate = standing
    try endForChild(state: &state, now: now, reason: reason)
    return standing
  }

  /// Deletes what is kept about a child and logs that it happened (not what it was).
  @discardableResult
  func deleteChildData(
    sessionId: String?, deviceHash: String?, reference: String?, reason: String, now: Date
  ) throws(EngineError) -> Int {
    let deleted = try removeChildData(
      sessionId: sessionId, deviceHash: deviceHash, reference: reference, reason: reason, now: now)
    reclaimDeletedSpace()
    return deleted
  }

  /// ``deleteChildData(sessionId:deviceHash:reference:reason:now:)`` without overwriting
  /// the freed space, for a caller inside a transaction (a turn's effects), which reclaims
  /// it once the transaction is committed.
  func removeChildData(
    sessionId: String?, deviceHash: String?, reference: String?, reason: String, now: Date
  ) throws(EngineError) -> Int {
    var deleted = 0
    if let sessionId { deleted += try store.deleteSessionData(sessionId: sessionId) }
    if let deviceHash { deleted += try store.forgetDevice(deviceHash: deviceHash) }
    try store.dataDeleted(
      DeletionRecord(at: now, reference: reference, reason: reason, detail: "\(deleted) stored rows about the child"))
    return deleted
  }

  private func childOutcomeTurn(
    _ outcome: AgeGateOutcome, state: SessionState, thanks: Bool, offer: Bool = true
  ) -> (Turn, Trace) {
    let rule = ageRule(state)
    let kind: DecisionKind = outcome == .needsParentalConsent ? .parentalConsentRequired : .belowServiceAge
    let decision = makeDecision(
      kind, outcome: outcome == .needsParentalConsent ? "deferred" : "refused", state: state,
      extra: ["answer": outcome == .needsParentalConsent ? "under \(rule.consentAge)" : "under \(rule.serviceAge)"])
    let intent = outcome == .needsParentalConsent ? "age.parental_consent_required" : "age.below_service_age"
    var values = countryValues(state)
    values["thanks"] = thanks ? "Thank you. " : ""
    return gateTurn(offer ? [intent, "parent.offer"] : [intent], values: values, state: state, decision: decision)
  }

  /// A second age in a session that already gave one: it can make the outcome stricter
  /// (someone who passed says they are 12 after all), never more lenient.
  func secondAnswer(_ age: Int, state: inout SessionState, now: Date) throws(EngineError) -> (Turn, Trace) {
    guard let current = state.ageGate else { return try settle(age: age, then: nil, state: &state, now: now) }
    let outcome = AgeGateOutcome(age: age, rule: ageRule(state))
    if outcome.strictness > current.strictness {
      state.age = age
      state.ageGate = outcome
      let standing = try becameChild(
        outcome, state: &state, now: now, reason: "age screen: a later answer under the applicable age")
      state.parentOffered = true
      return childOutcomeTurn(standing, state: state, thanks: true)
    }
    guard current != .adult else { return gateTurn("age.already_given", state: state) }
    let values = [
      "where": state.ageGateFromDevice ? "on this device" : "in this session", "outcome": outcomeText(current),
    ]
    let decision = makeDecision(.redeclarationRefused, outcome: "refused", state: state, extra: values)
    return gateTurn("age.redeclaration_refused", values: values, state: state, decision: decision)
  }

  /// "I'm in Germany": the country's rules apply from now on, but never lift an under-age
  /// outcome already given.
  private func countryStated(
    _ place: Place, remainder: String, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    guard let code = place.country else {
      return try regionStated(place, remainder: remainder, state: &state, now: now)
    }
    state.countryAsked = true
    if let current = state.ageGate, current != .adult {
      let lifted = state.age.map { AgeGateOutcome(age: $0, rule: jurisdictions.rule(for: code)) }
      if state.ageGateFromDevice || lifted.map({ $0.strictness < current.strictness }) == true {
        let values = [
          "country": jurisdictions.name(of: code), "outcome": outcomeText(current),
          "where": state.ageGateFromDevice ? "on this device" : "in this session",
        ]
        let named = jurisdictions.rule(for: code)
        let decision = makeDecision(
          .countryChangeRefused, outcome: "refused", state: state, extra: values,
          facts: [
            "country": state.country ?? "unknown",
            "consentAge": String(ageRule(state).consentAge),
            "countryNamed": code, "consentAgeThere": String(named.consentAge),
          ])
        return gateTurn("age.country_change_refused", values: values, state: state, decision: decision)
      }
    }
    state.country = code
    state.region = nil
    if let age = state.age, let current = state.ageGate {
      let outcome = AgeGateOutcome(age: age, rule: jurisdictions.rule(for: code))
      if outcome.strictness > current.strictness {
        state.ageGate = outcome
        let standing = try becameChild(
          outcome, state: &state, now: now, reason: "age screen: under the age of the stated country")
        state.parentOffered = true
        return childOutcomeTurn(standing, state: state, thanks: false)
      }
    }
    let (confirmationId, values) = countryConfirmation(place, state: state)
    let confirmation = composer.templateReply(confirmationId, values: values)
    guard TextNormalizer.words(remainder).count >= 2 else {
      return gateTurn(confirmationId, values: values, state: state)
    }
    var (turn, trace) = try converse(remainder, state: &state, now: now)
    turn.replies.insert(Reply(text: confirmation), at: 0)
    turn.state = state.snapshot
    return (turn, trace)
  }

  /// The place a statement like "I'm in Germany" (or "in California", "in the EU") names,
  /// and the message without it.
  private func countryStatement(in normalized: String) -> (Place, String)? {
    for capture in catalog.cueCaptures("country_statement", group: "country", in: normalized) {
      let words = TextNormalizer.words(capture.text)
      for count in stride(from: min(4, words.count), through: 1, by: -1) {
        guard let place = jurisdictions.place(named: words.prefix(count).joined(separator: " ")) else { continue }
        let before = String(normalized[..<capture.matchStart])
        let after =
          words.dropFirst(count).joined(separator: " ") + " "
          + String(normalized[capture.start...].dropFirst(capture.text.count))
        return (place, (before + " " + after).trimmingCharacters(in: .whitespaces))
      }
    }
    return nil
  }

  /// The answer to "which country do you live in?": a name, a code or a statement; a part
  /// of a country or a group of countries as well ("California", "the EU").
  private func countryAnswer(_ message: String, normalized: String) -> Place? {
    let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
    if trimmed.count == 2, let code = jurisdictions.countryCode(trimmed) { return .country(code) }
    if let (place, _) = countryStatement(in: normalized) { return place }
    return jurisdictions.place(named: normalized)
  }

  /// The request the gate held back, now let through.
  func proceed(_ action: GatedAction, state: inout SessionState, now: Date) throws(EngineError) -> (Turn, Trace) {
    if let purposes = action.consentTo {
      return try flowTurn(
        ConsentFlow.set(
          purposes, granted: true, method: action.consentMethod, context: flowContext(now), state: &state),
        state: &state)
    }
    if action.intent.hasPrefix("request.") {
      return try flowTurn(FlowStarts.request(action, context: flowContext(now), state: state), state: &state)
    }
    let turn = Turn(
      sessionId: state.id, intent: action.intent, confidence: 1, replies: action.replies, sources: action.sources,
      state: state.snapshot)
    return (turn, action.trace)
  }

  /// `/age`, `/country`, `/parent` without arguments: where the gates stand.
  func statusTurn(state: SessionState) -> (Turn, Trace) {
    let status: String
    switch state.ageGate {
    case nil: status = state.pending == nil ? "not run (nothing has needed it)" : "asking"
    case .adult?: status = "passed"
    case .needsParentalConsent?: status = "a parent's or guardian's consent is needed"
    case .belowServiceAge?: status = "below the service age: answers only"
    }
    let parental = state.parentalStatus.map { "\($0) (\(state.parentalReference ?? ""))" } ?? "none"
    let country =
      state.country.map { jurisdictions.name(of: $0) } ?? regionName(state).map {
        "a country of \($0), not said (the strictest of their rules apply)"
      }
      ?? "unknown (the strictest rules apply)"
    return gateTurn(
      "age.status", values: ["status": status, "country": country, "parental": parental], state: state)
  }

  /// A turn made of gate replies, in order.
  func gateTurn(
    _ intents: [String], values: [String: String] = [:], state: SessionState, decision: Decision? = nil,
    events: [TurnEvent] = []
  ) -> (Turn, Trace) {
    guard let intent = intents.first else { return gateTurn("fallback", state: state) }
    let replies = intents.map { Reply(text: composer.templateReply($0, values: values)) }
    let turn = Turn(
      sessionId: state.id, intent: intent, confidence: 1, replies: replies, decision: decision, events: events,
      state: state.snapshot)
    var trace = Trace.plain(.gate, intent: intent)
    trace.decision = decision
    return (turn, trace)
  }

  func gateTurn(
    _ intent: String, values: [String: String] = [:], state: SessionState, decision: Decision? = nil,
    events: [TurnEvent] = []
  ) -> (Turn, Trace) {
    gateTurn([intent], values: values, state: state, decision: decision, events: events)
  }

  /// A decision of `kind`, explained from knowledge/decisions.yaml with the session's facts.
  func makeDecision(
    _ kind: DecisionKind, outcome: String, state: SessionState, extra: [String: String] = [:],
    facts given: [String: String]? = nil
  ) -> Decision {
    let rule = ageRule(state)
    var values = countryValues(state)
    values["country"] =
      state.country.map { jurisdictions.name(of: $0) } ?? regionName(state).map {
        "an unknown country of \($0) (the strictest of their rules)"
      }
      ?? "an unknown country (strictest rule)"
    values["maxAttempts"] = String(gates.maxAttempts)
    values["lifetime"] = gates.codeLifetimeText
    values.merge(extra) { _, new in new }
    var facts = ["country": state.country ?? "unknown", "consentAge": String(rule.consentAge)]
    if state.country == nil, let region = state.region { facts["region"] = region }
    facts["serviceAge"] = String(rule.serviceAge)
    if let answer = extra["answer"] { facts["answer"] = answer }
    if let given { facts = given }
    guard let entry = decisions.entries[kind.rawValue] else {
      // decisions.yaml lists every kind the engine makes (a test checks); this is only reached
      // if a deployment removed one.
      return Decision(
        kind: kind.rawValue, outcome: outcome, explanation: "No explanation is configured for this decision.")
    }
    return Decision(
      kind: kind.rawValue, outcome: outcome, explanation: composer.render(entry.logic, values: values),
      rule: composer.render(entry.rule, values: values), facts: facts,
      consequence: composer.render(entry.consequence, values: values),
      contest: composer.render(entry.contest, values: values))
  }

  func countryValues(_ state: SessionState) -> [String: String] {
    let rule = ageRule(state)
    let name = state.country.map { jurisdictions.name(of: $0) }
    let region = regionName(state)
    return [
      "country": name ?? "your country",
      "rules": name.map { "Under the rules for \($0)" }
        ?? region.map { "Under the strictest rules of the countries of \($0) (I don't know which one you live in)" }
        ?? "Under the strictest rules that could apply (I don't know which country you live in)",
      "consentAge": String(rule.consentAge), "serviceAge": String(rule.serviceAge),
      "region": region ?? "your region",
    ]
  }

  /// The outcome in a sentence, from intents/gates.yaml.
  func outcomeText(_ outcome: AgeGateOutcome) -> String {
    composer.templateReply("age.outcome_" + outcome.stateName)
  }
}

extension AgeGateOutcome {
  /// Higher is stricter.
  var strictness: Int {
    switch self {
    case .adult: 0
    case .needsParentalConsent: 1
    case .belowServiceAge: 2
    }
  }
}

extension ParentAction {
  /// The parent's action an intent starts, if it is one of `parent.*`.
  init?(intent: String) {
    guard intent.hasPrefix("parent.") else { return nil }
    self.init(rawValue: String(intent.dropFirst("parent.".count)))
  }
}
