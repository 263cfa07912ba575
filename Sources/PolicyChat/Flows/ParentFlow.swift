import Foundation

/// Verifiable parental consent, the parent's side (knowledge/age-gate.yaml): in a session
/// of their own, a parent names the consent request (PC-...), types the code the host
/// delivered and says yes or no after seeing what they consent to (`email_plus`), or the
/// host vouches for them (`host_verified`); later they can review, revoke, or have the
/// child's data deleted, each after a fresh code.
struct ParentFlow: Flow {
  enum Question: Sendable, Equatable {
    /// "Which consent request (PC-...)?", for what the parent wants to do with it.
    case reference(ParentAction)
    /// The code sent to the parent, for `action`.
    case code(reference: String, action: ParentAction)
    /// The parent's explicit yes or no after seeing what they consent to.
    case agree(reference: String)
    /// After a review: "revoke" or "delete" refers to the consent just shown.
    case followUp(reference: String)
  }

  /// What the flow waits on; nil when a protocol action met it with nothing waiting.
  let question: Question?

  /// Whether the answer awaited is a one-time code (never kept, not even under logging).
  var waitsOnCode: Bool {
    if case .code? = question { return true }
    return false
  }

  /// Whether an age or a country stated now is not an answer to this flow: anything but
  /// the follow-up, where such a statement may well be part of something else.
  var yieldsToScreenAnswers: Bool {
    if case .followUp? = question { return false }
    return true
  }

  func step(_ input: FlowInput, context: FlowContext, state: inout SessionState) throws(EngineError) -> FlowOutcome {
    switch input {
    case .action(let action):
      return try perform(action, context: context, state: &state)
    case .text(let message, let normalized):
      guard let question else { return .decline }
      return try answer(question, message: message, normalized: normalized, context: context, state: &state)
    }
  }

  /// A protocol action (`parental.*`), straight from the front end; the caller checked the
  /// reference names a consent where the protocol requires one.
  private func perform(
    _ action: GateAction, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome {
    switch action {
    case .parent(let parentAction, let reference):
      return try Self.start(parentAction, reference: reference, context: context, state: &state)
    case .enterCode(let reference, let code):
      var parentAction = ParentAction.consent
      if case .code(reference, let waitingAction)? = question { parentAction = waitingAction }
      return try Self.checkCode(code, reference: reference, action: parentAction, context: context, state: &state)
    case .confirmConsent(let reference, let agree):
      return try Self.confirm(reference: reference, agree: agree, context: context, state: &state)
    case .hostVerified(let reference, let method):
      return try Self.hostVerified(reference: reference, method: method, context: context, state: &state)
    default:
      return .decline
    }
  }

  /// The answer to the question waiting; `.decline` when the message is about something else.
  private func answer(
    _ question: Question, message: String, normalized: String, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome {
    let catalog = context.catalog
    switch question {
    case .reference(let action):
      if let reference = GateAnswers.reference(in: message) {
        return try Self.start(action, reference: reference, context: context, state: &state)
      }
      if catalog.cue("cancel", matches: normalized) { return .reply(FlowReply("parent.cancelled"), waiting: nil) }
      guard context.isTryAtAnswer(normalized) else { return .decline }
      return .reply(FlowReply("parent.unknown_reference"), waiting: .flow(self))
    case .code(let reference, let action):
      if catalog.cue("cancel", matches: normalized) { return .reply(FlowReply("parent.cancelled"), waiting: nil) }
      if let code = GateAnswers.code(in: message, digits: context.gates.codeDigits) {
        return try Self.checkCode(code, reference: reference, action: action, context: context, state: &state)
      }
      if context.understanding.ruleIntent(normalized) == "parent.new_code" {
        return try Self.start(.newCode, reference: reference, context: context, state: &state)
      }
      guard message.contains(where: \.isNumber) || context.isTryAtAnswer(normalized) else { return .decline }
      let consent = try context.parentalConsent(reference: reference)
      return .reply(
        FlowReply("parent.ask_code_again", values: Self.values(consent, context: context)), waiting: .flow(self))
    case .agree(let reference):
      if catalog.cue("yes", matches: normalized) {
        return try Self.confirm(reference: reference, agree: true, context: context, state: &state)
      }
      if catalog.cue("no", matches: normalized) {
        return try Self.confirm(reference: reference, agree: false, context: context, state: &state)
      }
      if catalog.cue("cancel", matches: normalized) { return .reply(FlowReply("parent.cancelled"), waiting: nil) }
      guard context.isTryAtAnswer(normalized) else { return .decline }
      let consent = try context.parentalConsent(reference: reference)
      return .reply(
        FlowReply("parent.ask_agree_again", values: Self.values(consent, context: context)), waiting: .flow(self))
    case .followUp(let reference):
      guard let action = Self.action(in: normalized), action != .review else { return .decline }
      return try Self.start(action, reference: reference, context: context, state: &state)
    }
  }

  /// The parent's action a message's words name: revoke, delete or review.
  static func action(in normalized: String) -> ParentAction? {
    let words = Set(TextNormalizer.words(normalized))
    if !words.isDisjoint(with: ["revoke", "withdraw", "cancel", "stop"]) { return .revoke }
    if !words.isDisjoint(with: ["delete", "erase", "remove", "wipe"]) { return .delete }
    if !words.isDisjoint(with: ["review", "show", "check", "see", "view", "status"]) { return .review }
    return nil
  }

  private static func waiting(_ question: Question) -> PendingStep {
    .flow(ParentFlow(question: question))
  }

  /// A parent named a consent (or is asked to): find it and take the next step.
  static func start(
    _ action: ParentAction, reference: String?, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome {
    guard let reference else {
      return .reply(FlowReply("parent." + action.rawValue), waiting: waiting(.reference(action)))
    }
    guard let consent = try context.parentalConsent(reference: reference) else {
      return .reply(FlowReply("parent.unknown_reference"), waiting: waiting(.reference(action)))
    }
    if let refusal = sameParentAndChildRefusal(consent, context: context, state: state) {
      return .reply(refusal, waiting: nil)
    }
    let values = values(consent, context: context)
    let now = context.now
    switch action {
    case .consent:
      guard consent.status == "pending" else {
        return .reply(
          FlowReply(consent.status == "verified" ? "parent.already_verified" : "parent.closed", values: values),
          waiting: nil)
      }
      let challenge = try context.latestChallenge(reference: reference, purpose: .parentalConsent)
      // Also after a refusal: "send a new code" then needs no reference.
      let next = waiting(.code(reference: reference, action: .consent))
      if let refused = context.verifier.refusal(of: challenge, now: now),
        let refusal = codeRefusal(refused, consent: consent, context: context, state: state)
      {
        return .reply(refusal, waiting: next)
      }
      return .reply(FlowReply("parent.ask_code", values: values), waiting: next)
    case .newCode:
      guard consent.status == "pending" else { return .reply(FlowReply("parent.closed", values: values), waiting: nil) }
      let sending = try sendCode(.parentalConsent, consent: consent, context: context, state: state)
      guard case .sent(let issued) = sending else {
        return .reply(sendingRefusal(sending, consent: consent, context: context, state: state), waiting: nil)
      }
      return .reply(
        FlowReply("parent.verify_again", values: values, events: [issued.delivery]),
        waiting: waiting(.code(reference: reference, action: .consent)))
    case .review, .revoke, .delete:
      guard consent.parentContact != nil, ["verified", "pending", "revoked"].contains(consent.status) else {
        return .reply(FlowReply("parent.closed", values: values), waiting: nil)
      }
      if state.parentVerified.contains(reference) {
        return try carryOut(action, consent: consent, context: context, state: &state)
      }
      // Whoever knows a reference is not yet the parent: prove it with a fresh code.
      let sending = try sendCode(.parentalControl, consent: consent, context: context, state: state)
      guard case .sent(let issued) = sending else {
        return .reply(sendingRefusal(sending, consent: consent, context: context, state: state), waiting: nil)
      }
      return .reply(
        FlowReply("parent.verify_again", values: values, events: [issued.delivery]),
        waiting: waiting(.code(reference: reference, action: action)))
    }
  }

  /// Checks a code the parent typed. The verifier counts the try in a transaction of its
  /// own, before the comparison (FlowContext+Parental).
  static func checkCode(
    _ code: String, reference: String, action: ParentAction, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome {
    guard let consent = try context.parentalConsent(reference: reference) else {
      return .reply(FlowReply("parent.unknown_reference"), waiting: nil)
    }
    if let refusal = sameParentAndChildRefusal(consent, context: context, state: state) {
      return .reply(refusal, waiting: nil)
    }
    let purpose: CodePurpose = action == .consent || action == .newCode ? .parentalConsent : .parentalControl
    let latest = try context.latestChallenge(reference: reference, purpose: purpose)
    let check = try context.verifier.verify(
      code, against: latest, address: consent.parentContact, as: state.codeRequester, now: context.now)
    if let refusal = codeRefusal(check, consent: consent, context: context, state: state) {
      return .reply(refusal, waiting: waiting(.code(reference: reference, action: action)))
    }
    state.parentVerified.insert(reference)
    guard action == .consent || action == .newCode else {
      return try carryOut(action, consent: consent, context: context, state: &state)
    }
    return .reply(
      FlowReply("parent.ask_agree", values: values(consent, context: context)),
      waiting: waiting(.agree(reference: reference)))
  }

  /// The parent's explicit yes or no, after the code and after seeing the scope: the
  /// second step of `email_plus`.
  static func confirm(
    reference: String, agree: Bool, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome {
    guard var consent = try context.parentalConsent(reference: reference) else {
      throw .invalidInput(field: "reference", reason: "the reference of a consent request")
    }
    guard consent.status == "pending" else {
      return .reply(FlowReply("parent.closed", values: values(consent, context: context)), waiting: nil)
    }
    guard state.parentVerified.contains(reference) else {
      return .reply(
        FlowReply("parent.code_first", values: values(consent, context: context)),
        waiting: waiting(.code(reference: reference, action: .consent)))
    }
    guard agree else {
      consent.status = "refused"
      consent.parentContact = nil
      consent.endedAt = context.now
      state.effect(.parentalConsent(consent))
      state.effect(
        .deleteChildData(
          sessionId: consent.childSessionId, reference: reference,
          reason: "parental consent refused: the parent's address and the child's data deleted"))
      state.effect(.tellChild(sessionId: consent.childSessionId, status: "refused", scope: consent.detail))
      return .reply(FlowReply("parent.refused", values: values(consent, context: context)), waiting: nil)
    }
    return verify(consent, method: "email_plus", hostMethod: nil, context: context, state: &state)
  }

  /// The host verified the parent its own way (card, ID document, video call, signed form).
  static func hostVerified(
    reference: String, method: String, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome {
    let hostMethods = context.gates.hostMethods
    guard hostMethods[method] != nil else {
      throw .invalidInput(field: "method", reason: "one of " + hostMethods.keys.sorted().joined(separator: ", "))
    }
    guard let consent = try context.parentalConsent(reference: reference) else {
      throw .invalidInput(field: "reference", reason: "the reference of a consent request")
    }
    // The host's word about a parent is never taken in the child's own conversation or on
    // the child's device: there, it could only be the child (or a page the child uses).
    if let refusal = sameParentAndChildRefusal(consent, context: context, state: state) {
      return .reply(refusal, waiting: nil)
    }
    guard consent.status == "pending" else {
      return .reply(FlowReply("parent.closed", values: values(consent, context: context)), waiting: nil)
    }
    return verify(consent, method: "host_verified", hostMethod: method, context: context, state: &state)
  }

  private static func verify(
    _ consent: ParentalConsentRecord, method: String, hostMethod: String?, context: FlowContext,
    state: inout SessionState
  ) -> FlowOutcome {
    var consent = consent
    consent.status = "verified"
    consent.method = method
    consent.hostMethod = hostMethod
    consent.verifiedAt = context.now
    consent.verifiedBySession = state.id
    consent.policyVersion = context.policyVersion
    state.effect(.parentalConsent(consent))
    state.parentVerified.insert(consent.reference)
    state.effect(.tellChild(sessionId: consent.childSessionId, status: "verified", scope: consent.detail))
    var data = ["reference": consent.reference, "method": method, "purpose": "parental_consent"]
    if let contact = consent.parentContact { data["to"] = contact }
    if let hostMethod { data["hostMethod"] = hostMethod }
    // The confirmation message the host sends the parent: the "plus" of email plus, and a
    // record in the parent's inbox of what they agreed to.
    let event = TurnEvent(type: "parental_consent.confirmed", data: data)
    return .reply(
      FlowReply("parent.verified", values: values(consent, context: context), events: [event]), waiting: nil)
  }

  /// Review, revoke or delete, for a parent who proved they hold the code.
  private static func carryOut(
    _ action: ParentAction, consent: ParentalConsentRecord, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome {
    var consent = consent
    var values = values(consent, context: context)
    let now = context.now
    switch action {
    case .review, .consent, .newCode:
      values["held"] =
        consent.status == "verified" || consent.status == "pending"
        ? "this consent record (your e-mail address, what you agreed to, when and how); your child's conversations are never kept"
        : "only this consent record"
      var next: PendingStep?
      switch consent.status {
      case "verified", "pending":
        values["next"] = context.templateReply("parent.next_active")
        next = waiting(.followUp(reference: consent.reference))
      case "revoked":
        values["next"] = context.templateReply("parent.next_revoked")
        next = waiting(.followUp(reference: consent.reference))
      default:
        values["next"] = ""
      }
      return .reply(FlowReply("parent.review_result", values: values), waiting: next)
    case .revoke:
      let contact = consent.parentContact
      if consent.status != "revoked" {
        consent.status = "revoked"
        consent.endedAt = now
        state.effect(.parentalConsent(consent))
        state.effect(.tellChild(sessionId: consent.childSessionId, status: "revoked", scope: consent.detail))
      }
      // Counted now, deleted with the turn's other writes: nothing of this turn adds to the
      // child's session, which is never this one.
      let deleted = try context.childRecordCount(sessionId: consent.childSessionId)
      state.effect(
        .deleteChildData(
          sessionId: consent.childSessionId, reference: consent.reference, reason: "parental consent revoked"))
      values["deleted"] = "What was kept about your child under it has been deleted (\(rows(deleted)))."
      return .reply(
        FlowReply(
          "parent.revoked", values: values,
          events: [confirmation("parental_consent.revoked", consent: consent, to: contact)]),
        waiting: nil)
    case .delete:
      let contact = consent.parentContact
      // The device's under-age answer stays: it holds no data about the child but a keyed
      // hash, and without it the child could answer the screen again as an adult.
      let deleted = try context.childRecordCount(sessionId: consent.childSessionId)
      state.effect(
        .deleteChildData(
          sessionId: consent.childSessionId, reference: consent.reference, reason: "parent's deletion request"))
      state.effect(.tellChild(sessionId: consent.childSessionId, status: "deleted", scope: consent.detail))
      consent.status = "deleted"
      consent.parentContact = nil
      consent.childSessionId = nil
      consent.childDeviceHash = nil
      consent.endedAt = consent.endedAt ?? now
      state.effect(.parentalConsent(consent))
      values["deleted"] = rows(deleted) + ", and the consent request's own details"
      return .reply(
        FlowReply(
          "parent.deleted", values: values,
          events: [confirmation("parental_consent.deleted", consent: consent, to: contact)]),
        waiting: nil)
    }
  }

  /// An event asking the host to confirm a parent's action to the parent's address.
  private static func confirmation(_ type: String, consent: ParentalConsentRecord, to contact: String?) -> TurnEvent {
    var data = ["reference": consent.reference]
    if let contact { data["to"] = contact }
    return TurnEvent(type: type, data: data)
  }

  private static func rows(_ count: Int) -> String {
    count == 1 ? "1 stored record" : "\(count) stored records"
  }
}
