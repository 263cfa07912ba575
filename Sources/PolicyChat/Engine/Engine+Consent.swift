import Foundation

/// Consent per purpose (knowledge/consent.yaml): given and withdrawn by equally short
/// actions, recorded with time, method, policy version and jurisdiction, expiring, refused
/// by browser signals, never for children; and the chat text kept only while
/// `session_logging` is in force, redacted before it is stored.
extension Engine {
  /// Reads the subject's consents when a session opens, records the refusals the browser's
  /// signals carry, and lapses any consent past its term.
  func openConsents(
    _ signals: BrowserSignals?, state: inout SessionState, now: Date
  ) throws(EngineError) -> [Reply] {
    for record in try store.consents(subject: state.subject) {
      state.consents[record.purpose] = record
    }
    let sent = [("dnt", signals?.dnt == true, "Do Not Track"), ("gpc", signals?.gpc == true, "Global Privacy Control")]
    for (code, on, name) in sent where on {
      for purpose in consentCatalog.purposes where purpose.refusedBySignals && state.signalRefusals[purpose.id] == nil {
        state.signalRefusals[purpose.id] = name
        // The signal refuses for this session; a grant from before stops counting too.
        let record = consentRecord(purpose.id, granted: false, method: "signal:" + code, state: state, now: now)
        // Kept if the database can: the refusal holds in the session either way, and the
        // signal comes again with the next session.
        keepIfPossible("a refusal by browser signal") { () throws(EngineError) in try store.consentRecorded(record) }
        state.consents[purpose.id] = record
      }
    }
    let changes = try policyChanges(state: &state, now: now)
    return try changes + lapseConsents(state: &state, now: now)
  }

  /// Consents past their term are treated as absent: recorded as expired, and the person
  /// told, once, how to give them again.
  func lapseConsents(state: inout SessionState, now: Date) throws(EngineError) -> [Reply] {
    var notes: [Reply] = []
    for (purposeId, record) in state.consents.sorted(by: { $0.key < $1.key })
    where record.granted && (record.expiresAt ?? .distantPast) <= now {
      guard let purpose = consentCatalog.purpose(purposeId) else { continue }
      // Dated when it ended, not when it was noticed.
      let expiry = consentRecord(
        purposeId, granted: false, method: "expiry", state: state, now: record.expiresAt ?? now)
      // Kept if the database can: the consent is off in the session either way, and an
      // expiry not written is found again when the next session reads the records.
      keepIfPossible("a consent's expiry") { () throws(EngineError) in try store.consentRecorded(expiry) }
      state.consents[purposeId] = expiry
      var values = purposeValues(purpose, state: state, now: now)
      values["date"] = UTCDate.minute(record.expiresAt ?? now)
      notes.append(Reply(text: composer.templateReply("consent.expired", values: values)))
    }
    return notes
  }

  /// "stop logging my chats", "I agree to analytics", "show my consents", "receipt".
  func consentTurn(
    _ intent: String, normalized: String, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    switch intent {
    case "consent.status":
      return gateTurn(intent, values: ["list": consentList(state, now: now)], state: state)
    case "consent.receipt":
      guard let receipt = consentReceipt(state: state, now: now) else {
        return gateTurn("consent.no_receipt", values: ["list": consentList(state, now: now)], state: state)
      }
      let json = receipt.json
      return gateTurn(
        intent, values: ["receipt": json], state: state,
        events: [TurnEvent(type: "consent.receipt", data: ["receipt": json])])
    default:
      let granted = intent == "consent.give"
      let named = consentCatalog.purposes(namedIn: normalized)
      guard !named.isEmpty else {
        state.pending = .consentPurpose(granted: granted)
        return gateTurn(intent, values: ["list": purposeChoices(granted: granted)], state: state)
      }
      // "analytics but not marketing": rather ask than turn both the same way.
      let contrast: Set = ["but", "not", "except", "only", "fine", "however", "although", "apart", "besides"]
      if named.count > 1, !contrast.isDisjoint(with: TextNormalizer.words(normalized)) {
        return gateTurn("consent.one_at_a_time", state: state)
      }
      return try setConsents(named.map(\.id), granted: granted, method: "chat", state: &state, now: now)
    }
  }

  /// Turns purposes on or off. Turning one on keeps data, so the age screen runs first.
  func setConsents(
    _ purposes: [String], granted: Bool, method: String, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    for id in purposes where consentCatalog.purpose(id)?.needsConsent != true {
      throw .invalidInput(
        field: "purpose",
        reason: "one of " + consentCatalog.purposes.filter(\.needsConsent).map(\.id).joined(separator: ", "))
    }
    // A refusal by the browser's signal needs no age: refuse at once.
    let refusedBySignal = purposes.allSatisfy { state.signalRefusals[$0] != nil }
    // Nor does a restriction in force: nothing is turned on while it lasts.
    if granted && state.ageGate == nil && !state.childPrivacy && !refusedBySignal && !state.restricted {
      let action = GatedAction(
        consentTo: purposes, consentMethod: method, intent: "consent.give", replies: [], sources: [],
        trace: Trace.plain(.gate, intent: "consent.give"))
      return try gate(action, state: &state)
    }
    var turns: [(Turn, Trace)] = []
    for id in purposes {
      guard let purpose = consentCatalog.purpose(id) else { continue }
      turns.append(try changeConsent(purpose, granted: granted, method: method, state: &state, now: now))
    }
    guard var (turn, trace) = turns.first else { return gateTurn("fallback", state: state) }
    for (other, otherTrace) in turns.dropFirst() {
      turn.replies += other.replies
      turn.events += other.events
      turn.decision = turn.decision ?? other.decision
      trace.decision = trace.decision ?? otherTrace.decision
    }
    turn.state = state.snapshot
    return (turn, trace)
  }

  private func changeConsent(
    _ purpose: ConsentCatalog.Purpose, granted: Bool, method: String, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    var values = purposeValues(purpose, state: state, now: now)
    if granted {
      if state.childPrivacy {
        let decision = makeDecision(
          .childConsentRefused, outcome: "refused", state: state, extra: values,
          facts: ["purpose": purpose.id, "session": "a child's"])
        let record = consentRecord(purpose.id, granted: false, method: "child", state: state, now: now)
        try store.consentRecorded(record)
        return gateTurn("consent.child_refused", values: values, state: state, decision: decision)
      }
      if state.restricted {
        let decision = makeDecision(
          .restrictionInForce, outcome: "refused", state: state, extra: values, facts: ["purpose": purpose.id])
        return gateTurn("consent.restricted", values: values, state: state, decision: decision)
      }
      if let signal = state.signalRefusals[purpose.id] {
        values["signal"] = signal
        let decision = makeDecision(
          .signalRefused, outcome: "refused", state: state, extra: values,
          facts: ["purpose": purpose.id, "signal": signal])
        return gateTurn("consent.signal_refused", values: values, state: state, decision: decision)
      }
      if state.consentValid(purpose.id, at: now) { return gateTurn("consent.already_on", values: values, state: state) }
      let record = consentRecord(purpose.id, granted: true, method: method, state: state, now: now)
      try store.consentRecorded(record)
      apply(record, to: &state)
      if let deviceHash = state.deviceHash {
        // The consent follows the device to its next session, so its age answer does too.
        // Never over an under-age answer another session of the device gave.
        try recordDeviceOutcome(.adult, deviceHash: deviceHash, now: now)
      }
      values["until"] = UTCDate.day(record.expiresAt ?? now)
      return gateTurn("consent.given", values: values, state: state)
    }
    let wasOn = state.consentValid(purpose.id, at: now)
    if !wasOn, let latest = state.consents[purpose.id], !latest.granted, latest.method != "expiry" {
      return gateTurn("consent.already_off", values: values, state: state)
    }
    let record = consentRecord(purpose.id, granted: false, method: method, state: state, now: now)
    try store.consentRecorded(record)
    apply(record, to: &state)
    guard wasOn else { return gateTurn("consent.was_off", values: values, state: state) }
    if purpose.id == "session_logging" {
      let kept = try store.transcriptLineCount(subject: state.subject)
      if kept > 0 {
        state.pending = .deleteTranscript
        values["count"] = String(kept)
        return gateTurn(["consent.withdrawn", "consent.offer_delete"], values: values, state: state)
      }
    }
    return gateTurn("consent.withdrawn", values: values, state: state)
  }

  /// A consent change holds for every open session of the same person (device), at once.
  private func apply(_ record: ConsentRecord, to state: inout SessionState) {
    state.consents[record.purpose] = record
    let subject = state.subject
    sessions.withLock { sessions in
      for (id, other) in sessions where other.subject == subject && id != state.id {
        sessions[id]?.consents[record.purpose] = record
      }
    }
  }

  /// The answer to "shall I delete them now?".
  func deleteTranscriptAnswer(
    _ normalized: String, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace)? {
    let words = Set(TextNormalizer.words(normalized))
    let refuses =
      catalog.cue("no", matches: normalized) || catalog.cue("cancel", matches: normalized)
      || !words.isDisjoint(with: ["no", "not", "dont", "keep", "leave", "never"])
    if refuses { return gateTurn("consent.transcript_kept", state: state) }
    if catalog.cue("yes", matches: normalized) || !words.isDisjoint(with: ["delete", "erase", "remove"]) {
      let deleted = try store.deleteTranscript(subject: state.subject)
      try store.dataDeleted(
        DeletionRecord(
          at: now, reference: nil,
          reason: "session_logging withdrawn: the person asked for the kept chats to be deleted",
          detail: "\(deleted) chat lines"))
      reclaimDeletedSpace()
      return gateTurn(
        "consent.transcript_deleted", values: ["count": String(deleted)], state: state,
        events: [TurnEvent(type: "transcript.deleted", data: ["lines": String(deleted)])])
    }
    return nil
  }

  /// The answer to "which would you like to turn on?": a number or a purpose's words.
  func consentPurposeAnswer(
    _ normalized: String, granted: Bool, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace)? {
    // "stop logging my chats" after "which would you like to turn on?" says the opposite.
    if understanding.ruleIntent(normalized)?.hasPrefix("consent.") == true { return nil }
    let choices = consentCatalog.purposes.filter(\.needsConsent)
    var chosen = consentCatalog.purposes(namedIn: normalized).map(\.id)
    if chosen.isEmpty, let number = Int(normalized) {
      guard (1...choices.count).contains(number) else {
        state.pending = .consentPurpose(granted: granted)
        return gateTurn(
          granted ? "consent.give" : "consent.withdraw", values: ["list": purposeChoices(granted: granted)],
          state: state)
      }
      chosen = [choices[number - 1].id]
    }
    guard !chosen.isEmpty else { return nil }
    return try setConsents(chosen, granted: granted, method: "chat", state: &state, now: now)
  }

  /// Keeps one exchange of a conversation under `session_logging`, redacted. The
  /// assistant's replies are redacted too, in case one ever repeats what was typed; only
  /// the addresses the assistant itself publishes (the organisation's, the regulators')
  /// are spared.
  func keepTranscript(_ message: String, turn: Turn, state: SessionState, now: Date) throws(EngineError) {
    var reply = turn.text
    var spared: [(String, String)] = []
    for (index, address) in publishedAddresses.enumerated() where reply.contains(address) {
      let marker = "\u{E000}\(index)\u{E000}"
      reply = reply.replacingOccurrences(of: address, with: marker)
      spared.append((marker, address))
    }
    reply = redactor.redact(reply).text
    for (marker, address) in spared { reply = reply.replacingOccurrences(of: marker, with: address) }
    let lines = [("person", redactor.redact(message).text), ("assistant", reply)]
    for (speaker, text) in lines {
      try store.transcriptLineKept(
        TranscriptLine(
          sessionId: state.id, subject: state.subject, sequence: state.turnCount, at: now, speaker: speaker,
          text: text))
    }
  }

  /// The e-mail addresses in the assistant's own texts: the organisation's contact and the
  /// regulators' in knowledge/requests.yaml.
  static func publishedAddresses(_ policy: PolicyData) -> [String] {
    [policy.knowledge.policy.contact] + policy.requests.complaints.values.sorted().flatMap(GateAnswers.emails(in:))
  }

  /// Each purpose, whether it is on, and the phrase that changes it.
  func consentList(_ state: SessionState, now: Date) -> String {
    var lines = ["Your choices (nothing is on unless you turned it on):"]
    for purpose in consentCatalog.purposes {
      guard purpose.needsConsent else {
        lines.append(
          "- \(purpose.title): always on, no consent needed: \(purpose.description). Legal basis: \(purpose.legalBasis)."
        )
        continue
      }
      if state.consentValid(purpose.id, at: now), let until = state.consents[purpose.id]?.expiresAt {
        lines.append("- \(purpose.title): on until \(UTCDate.day(until)). Say \"\(purpose.off)\" to turn it off.")
      } else if let signal = state.signalRefusals[purpose.id] {
        lines.append("- \(purpose.title): off (your browser's \(signal) signal refuses it).")
      } else if state.childPrivacy {
        lines.append("- \(purpose.title): off (a child's conversation stays private).")
      } else {
        lines.append("- \(purpose.title): off. Say \"\(purpose.on)\" to turn it on: \(purpose.description).")
      }
    }
    return lines.joined(separator: "\n")
  }

  private func purposeChoices(granted: Bool) -> String {
    consentCatalog.purposes.filter(\.needsConsent).enumerated().map { index, purpose in
      "\(index + 1). \(purpose.title): \(purpose.description)"
    }.joined(separator: "\n") + "\nReply with a number or a name."
  }

  private func purposeValues(
    _ purpose: ConsentCatalog.Purpose, state: SessionState, now: Date
  ) -> [String: String] {
    // {title} inside a sentence, {Title} at its start.
    var values = [
      "title": purpose.title.lowercased(), "Title": purpose.title, "description": purpose.description,
      "turnOn": purpose.on, "turnOff": purpose.off,
    ]
    if let until = state.consents[purpose.id]?.expiresAt { values["until"] = UTCDate.day(until) }
    return values
  }

  private func consentRecord(
    _ purpose: String, granted: Bool, method: String, state: SessionState, now: Date
  ) -> ConsentRecord {
    var expiry: Date?
    if granted {
      var calendar = Calendar(identifier: .gregorian)
      calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
      expiry = calendar.date(byAdding: .month, value: consentCatalog.validity(for: state.country), to: now)
    }
    return ConsentRecord(
      subject: state.subject, sessionId: state.id, purpose: purpose, granted: granted, at: now, method: method,
      policyVersion: knowledge.policy.version, jurisdiction: state.country ?? "unknown", expiresAt: expiry)
  }
}
