import Foundation

/// What the age screen's answer decides, and what it does to a child's session.
extension AgeScreenFlow {
  /// Something that collects personal data was asked for: let it through, screen first,
  /// or hold it for a parent's consent.
  static func screen(
    _ action: GatedAction, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome {
    guard let outcome = state.ageGate else {
      if state.country == nil && !state.countryAsked {
        return .reply(FlowReply("age.ask_country"), waiting: .flow(Self(question: .country, then: action)))
      }
      return .reply(FlowReply("age.ask_birth"), waiting: .flow(Self(question: .birth, then: action)))
    }
    // The parent may have answered, or revoked, from another process sharing the database:
    // what the store says decides, not what this session last heard.
    if let reference = state.parentalReference, let consent = try context.parentalConsent(reference: reference) {
      state.parentalStatus = consent.status
      if consent.status == "verified" {
        state.consentedScopes.insert(consent.detail ?? "*")
      } else {
        state.consentedScopes.remove(consent.detail ?? "*")
      }
    }
    if outcome == .adult || state.consentedScopes.contains(action.intent) || state.consentedScopes.contains("*") {
      return .passed(action)
    }
    if state.parentalStatus == "pending", let reference = state.parentalReference {
      return .reply(
        FlowReply("age.still_waiting", values: ["reference": reference, "status": "not yet given"]), waiting: nil)
    }
    let parent = PendingStep.flow(ParentalConsentFlow(then: action))
    state.heldForParent = action
    state.parentOffered = true
    if state.ageGateFromDevice && state.age == nil {
      // The screen is not offered again on a device that answered below the age.
      let values = ["where": "on this device", "outcome": context.outcomeText(outcome)]
      let decision = context.decision(.redeclarationRefused, outcome: "refused", state: state, extra: values)
      return .reply(
        FlowReply(["age.redeclaration_refused", "parent.offer"], values: values, decision: decision), waiting: parent)
    }
    var reply = childOutcome(outcome, context: context, state: state, thanks: false)
    if !state.consentedScopes.isEmpty { reply.parts.insert(FlowReply("parent.scope_other").parts[0], at: 0) }
    return .reply(reply, waiting: parent)
  }

  /// The declared age decides.
  static func settle(
    age: Int, then action: GatedAction?, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome {
    state.age = age
    let outcome = AgeGateOutcome(age: age, rule: context.ageRule(state))
    state.ageGate = outcome
    guard outcome != .adult else {
      guard let action else { return .reply(FlowReply("age.adult"), waiting: nil) }
      return .passed(action, before: FlowReply("age.adult"))
    }
    let standing = try becameChild(
      outcome, context: context, state: &state, reason: "age screen: under the applicable age")
    if let purposes = action?.consentTo {
      // A child's conversation stays private: no parent can open logging or marketing either.
      var reply = childOutcome(standing, context: context, state: state, thanks: true, offer: false)
      let refusal = try ConsentFlow.set(purposes, granted: true, method: "chat", context: context, state: &state)
      if case .reply(let refused, _) = refusal {
        reply.parts += refused.parts
        // The turn carries the age decision; the refusal is recorded all the same.
        if let decision = refused.decision { state.effect(.decision(decision)) }
      }
      return .reply(reply, waiting: nil)
    }
    var parent: PendingStep?
    if let action {
      parent = .flow(ParentalConsentFlow(then: action))
      state.heldForParent = action
    }
    state.parentOffered = true
    return .reply(childOutcome(standing, context: context, state: state, thanks: true), waiting: parent)
  }

  /// A second age in a session that already gave one: it can make the outcome stricter
  /// (someone who passed says they are 12 after all), never more lenient.
  static func secondAnswer(_ age: Int, context: FlowContext, state: inout SessionState) throws(EngineError)
    -> FlowOutcome
  {
    guard let current = state.ageGate else { return try settle(age: age, then: nil, context: context, state: &state) }
    let outcome = AgeGateOutcome(age: age, rule: context.ageRule(state))
    if outcome.strictness > current.strictness {
      state.age = age
      state.ageGate = outcome
      let standing = try becameChild(
        outcome, context: context, state: &state, reason: "age screen: a later answer under the applicable age")
      state.parentOffered = true
      return .reply(childOutcome(standing, context: context, state: state, thanks: true), waiting: nil)
    }
    guard current != .adult else { return .reply(FlowReply("age.already_given"), waiting: nil) }
    let values = [
      "where": state.ageGateFromDevice ? "on this device" : "in this session", "outcome": context.outcomeText(current),
    ]
    let decision = context.decision(.redeclarationRefused, outcome: "refused", state: state, extra: values)
    return .reply(FlowReply("age.redeclaration_refused", values: values, decision: decision), waiting: nil)
  }

  /// A child's session from now on: the device remembers the answer, and anything the
  /// session stored is deleted (and the deletion logged). Returns the outcome that stands:
  /// `outcome`, or a stricter one another session of the device recorded meanwhile.
  static func becameChild(
    _ outcome: AgeGateOutcome, context: FlowContext, state: inout SessionState, reason: String
  ) throws(EngineError) -> AgeGateOutcome {
    var standing = outcome
    if let deviceHash = state.deviceHash {
      // The effect keeps the stricter of the two again when it is applied, in the turn's
      // transaction, so that a looser answer racing in from another process cannot win.
      if let stored = try context.storedDeviceOutcome(deviceHash), stored.strictness > outcome.strictness {
        standing = stored
      } else {
        state.effect(.deviceOutcome(outcome, deviceHash: deviceHash))
      }
    }
    state.ageGate = standing
    endForChild(context: context, state: &state, reason: reason)
    return standing
  }

  /// A session that turned out to be a child's: what it stored is deleted (and the deletion
  /// logged), and consents given in it before end, recorded as ended by the age screen, so
  /// that no later session of the device finds them given.
  static func endForChild(context: FlowContext, state: inout SessionState, reason: String) {
    state.effect(.deleteChildData(sessionId: state.id, reference: nil, reason: reason))
    for (purpose, record) in state.consents.sorted(by: { $0.key < $1.key }) where record.granted {
      let ended = ConsentRecord(
        subject: state.subject, sessionId: state.id, purpose: purpose, granted: false, at: context.now,
        method: "age_screen", policyVersion: context.policyVersion, jurisdiction: state.country ?? "unknown",
        expiresAt: nil)
      state.effect(.consent(ended, shared: false))
      state.consents[purpose] = ended
    }
  }

  /// What an under-age outcome means for the person, with its decision; `offer`: and the
  /// offer to ask a parent.
  static func childOutcome(
    _ outcome: AgeGateOutcome, context: FlowContext, state: SessionState, thanks: Bool, offer: Bool = true
  ) -> FlowReply {
    let rule = context.ageRule(state)
    let kind: DecisionKind = outcome == .needsParentalConsent ? .parentalConsentRequired : .belowServiceAge
    let decision = context.decision(
      kind, outcome: outcome == .needsParentalConsent ? "deferred" : "refused", state: state,
      extra: ["answer": outcome == .needsParentalConsent ? "under \(rule.consentAge)" : "under \(rule.serviceAge)"])
    let intent = outcome == .needsParentalConsent ? "age.parental_consent_required" : "age.below_service_age"
    var values = context.countryValues(state)
    values["thanks"] = thanks ? "Thank you. " : ""
    return FlowReply(offer ? [intent, "parent.offer"] : [intent], values: values, decision: decision)
  }

  /// `/age`, `/country`, `/parent` without arguments: where the gates stand.
  static func status(context: FlowContext, state: SessionState) -> FlowReply {
    let status: String
    switch state.ageGate {
    case nil: status = state.pending == nil ? "not run (nothing has needed it)" : "asking"
    case .adult?: status = "passed"
    case .needsParentalConsent?: status = "a parent's or guardian's consent is needed"
    case .belowServiceAge?: status = "below the service age: answers only"
    }
    let parental = state.parentalStatus.map { "\($0) (\(state.parentalReference ?? ""))" } ?? "none"
    let jurisdictions = context.jurisdictions
    let country =
      state.country.map { jurisdictions.name(of: $0) } ?? context.regionName(state).map {
        "a country of \($0), not said (the strictest of their rules apply)"
      }
      ?? "unknown (the strictest rules apply)"
    return FlowReply("age.status", values: ["status": status, "country": country, "parental": parental])
  }
}
