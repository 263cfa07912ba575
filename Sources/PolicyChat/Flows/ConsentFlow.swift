import Foundation

/// Consent per purpose (knowledge/consent.yaml), given and withdrawn by equally short
/// actions: in chat ("stop logging my chats", "I agree to analytics"), by `/consent`, from
/// the protocol's `consent.set`, and after the age screen let a grant through. It waits
/// on two questions: which purpose was meant, and whether to delete the chat text kept
/// before logging was turned off.
struct ConsentFlow: Flow {
  enum Question: Sendable {
    /// "Which would you like to turn on (or off)?"
    case purpose(granted: Bool)
    /// "Shall I delete the chats kept so far?"
    case deleteTranscript
  }

  let question: Question

  func step(_ input: FlowInput, context: FlowContext, state: inout SessionState) throws(EngineError) -> FlowOutcome {
    guard case .text(_, let normalized) = input else { return .decline }
    switch question {
    case .purpose(let granted):
      let catalog = context.catalog
      if catalog.cue("cancel", matches: normalized) || catalog.cue("no", matches: normalized) {
        return .reply(FlowReply("consent.cancelled"), waiting: nil)
      }
      return try Self.purposeAnswer(normalized, granted: granted, context: context, state: &state)
    case .deleteTranscript:
      return try Self.deleteAnswer(normalized, context: context, state: &state)
    }
  }

  /// "stop logging my chats", "I agree to analytics", "show my consents", "receipt".
  static func start(
    _ intent: String, normalized: String, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome {
    switch intent {
    case "consent.status":
      return .reply(FlowReply(intent, values: ["list": list(state, context: context)]), waiting: nil)
    case "consent.receipt":
      guard let receipt = context.consentReceipt(state: state) else {
        return .reply(FlowReply("consent.no_receipt", values: ["list": list(state, context: context)]), waiting: nil)
      }
      let json = receipt.json
      return .reply(
        FlowReply(
          intent, values: ["receipt": json], events: [TurnEvent(type: "consent.receipt", data: ["receipt": json])]),
        waiting: nil)
    default:
      let granted = intent == "consent.give"
      let named = context.consentCatalog.purposes(namedIn: normalized)
      guard !named.isEmpty else {
        return .reply(
          FlowReply(intent, values: ["list": choices(context.consentCatalog)]),
          waiting: .flow(ConsentFlow(question: .purpose(granted: granted))))
      }
      // "analytics but not marketing": rather ask than turn both the same way.
      let contrast: Set = ["but", "not", "except", "only", "fine", "however", "although", "apart", "besides"]
      if named.count > 1, !contrast.isDisjoint(with: TextNormalizer.words(normalized)) {
        return .reply(FlowReply("consent.one_at_a_time"), waiting: nil)
      }
      return try set(named.map(\.id), granted: granted, method: "chat", context: context, state: &state)
    }
  }

  /// Turns purposes on or off. Turning one on keeps data, so the age screen runs first.
  static func set(
    _ purposes: [String], granted: Bool, method: String, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome {
    let catalog = context.consentCatalog
    for id in purposes where catalog.purpose(id)?.needsConsent != true {
      throw .invalidInput(
        field: "purpose", reason: "one of " + catalog.purposes.filter(\.needsConsent).map(\.id).joined(separator: ", "))
    }
    // A refusal by the browser's signal needs no age: refuse at once.
    let refusedBySignal = purposes.allSatisfy { state.signalRefusals[$0] != nil }
    // Nor does a restriction in force: nothing is turned on while it lasts.
    if granted && state.ageGate == nil && !state.childPrivacy && !refusedBySignal && !state.restricted {
      return .screenFirst(
        GatedAction(
          consentTo: purposes, consentMethod: method, intent: "consent.give", replies: [], sources: [],
          trace: Trace.plain(.gate, intent: "consent.give")))
    }
    var combined: FlowReply?
    var waiting: PendingStep?
    for id in purposes {
      guard let purpose = catalog.purpose(id) else { continue }
      let (reply, next) = try change(purpose, granted: granted, method: method, context: context, state: &state)
      if combined == nil { combined = reply } else { combined?.append(reply) }
      waiting = next ?? waiting
    }
    return .reply(combined ?? FlowReply("fallback"), waiting: waiting)
  }

  private static func change(
    _ purpose: ConsentCatalog.Purpose, granted: Bool, method: String, context: FlowContext,
    state: inout SessionState
  ) throws(EngineError) -> (FlowReply, PendingStep?) {
    let now = context.now
    var values = purposeValues(purpose, state: state)
    if granted {
      if state.childPrivacy {
        let decision = context.decision(
          .childConsentRefused, outcome: "refused", state: state, extra: values,
          facts: ["purpose": purpose.id, "session": "a child's"])
        // Recorded as refused, and not passed on: the child's other sessions are private anyway.
        let refused = record(purpose.id, granted: false, method: "child", context: context, state: state)
        state.effect(.consent(refused, shared: false))
        return (FlowReply("consent.child_refused", values: values, decision: decision), nil)
      }
      if state.restricted {
        let decision = context.decision(
          .restrictionInForce, outcome: "refused", state: state, extra: values, facts: ["purpose": purpose.id])
        return (FlowReply("consent.restricted", values: values, decision: decision), nil)
      }
      if let signal = state.signalRefusals[purpose.id] {
        values["signal"] = signal
        let decision = context.decision(
          .signalRefused, outcome: "refused", state: state, extra: values,
          facts: ["purpose": purpose.id, "signal": signal])
        return (FlowReply("consent.signal_refused", values: values, decision: decision), nil)
      }
      if state.consentValid(purpose.id, at: now) { return (FlowReply("consent.already_on", values: values), nil) }
      let given = record(purpose.id, granted: true, method: method, context: context, state: state)
      state.consents[purpose.id] = given
      state.effect(.consent(given, shared: true))
      if let deviceHash = state.deviceHash {
        // The consent follows the device to its next session, so its age answer does too.
        // Never over an under-age answer another session of the device gave.
        state.effect(.deviceOutcome(.adult, deviceHash: deviceHash))
      }
      values["until"] = UTCDate.day(given.expiresAt ?? now)
      return (FlowReply("consent.given", values: values), nil)
    }
    let wasOn = state.consentValid(purpose.id, at: now)
    if !wasOn, let latest = state.consents[purpose.id], !latest.granted, latest.method != "expiry" {
      return (FlowReply("consent.already_off", values: values), nil)
    }
    let withdrawn = record(purpose.id, granted: false, method: method, context: context, state: state)
    state.consents[purpose.id] = withdrawn
    state.effect(.consent(withdrawn, shared: true))
    guard wasOn else { return (FlowReply("consent.was_off", values: values), nil) }
    if purpose.id == "session_logging" {
      let kept = try context.keptLines(subject: state.subject)
      if kept > 0 {
        values["count"] = String(kept)
        return (
          FlowReply(["consent.withdrawn", "consent.offer_delete"], values: values),
          .flow(ConsentFlow(question: .deleteTranscript))
        )
      }
    }
    return (FlowReply("consent.withdrawn", values: values), nil)
  }

  /// The answer to "shall I delete them now?"; anything but a yes or a no is read as usual.
  private static func deleteAnswer(
    _ normalized: String, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome {
    let catalog = context.catalog
    let words = Set(TextNormalizer.words(normalized))
    let refuses =
      catalog.cue("no", matches: normalized) || catalog.cue("cancel", matches: normalized)
      || !words.isDisjoint(with: ["no", "not", "dont", "keep", "leave", "never"])
    if refuses { return .reply(FlowReply("consent.transcript_kept"), waiting: nil) }
    guard catalog.cue("yes", matches: normalized) || !words.isDisjoint(with: ["delete", "erase", "remove"]) else {
      return .decline
    }
    // Logging is off, so no line is added before the deletion is applied at the end of the turn.
    let lines = String(try context.keptLines(subject: state.subject))
    state.effect(
      .deleteTranscript(
        subject: state.subject, reason: "session_logging withdrawn: the person asked for the kept chats to be deleted"
      ))
    return .reply(
      FlowReply(
        "consent.transcript_deleted", values: ["count": lines],
        events: [TurnEvent(type: "transcript.deleted", data: ["lines": lines])]),
      waiting: nil)
  }

  /// The answer to "which would you like to turn on?": a number or a purpose's words.
  private static func purposeAnswer(
    _ normalized: String, granted: Bool, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome {
    // "stop logging my chats" after "which would you like to turn on?" says the opposite.
    if context.understanding.ruleIntent(normalized)?.hasPrefix("consent.") == true { return .decline }
    let purposes = context.consentCatalog.purposes.filter(\.needsConsent)
    var chosen = context.consentCatalog.purposes(namedIn: normalized).map(\.id)
    if chosen.isEmpty, let number = Int(normalized) {
      guard (1...purposes.count).contains(number) else {
        return .reply(
          FlowReply(
            granted ? "consent.give" : "consent.withdraw", values: ["list": choices(context.consentCatalog)]),
          waiting: .flow(ConsentFlow(question: .purpose(granted: granted))))
      }
      chosen = [purposes[number - 1].id]
    }
    guard !chosen.isEmpty else { return .decline }
    return try set(chosen, granted: granted, method: "chat", context: context, state: &state)
  }

  /// A consent record of this session's subject, dated now; a grant lapses after the
  /// validity of the country whose rules apply.
  static func record(
    _ purpose: String, granted: Bool, method: String, context: FlowContext, state: SessionState,
    at date: Date? = nil
  ) -> ConsentRecord {
    let now = date ?? context.now
    var expiry: Date?
    if granted {
      var calendar = Calendar(identifier: .gregorian)
      calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
      expiry = calendar.date(byAdding: .month, value: context.consentCatalog.validity(for: state.country), to: now)
    }
    return ConsentRecord(
      subject: state.subject, sessionId: state.id, purpose: purpose, granted: granted, at: now, method: method,
      policyVersion: context.policyVersion, jurisdiction: state.country ?? "unknown", expiresAt: expiry)
  }
}
