import Foundation

/// Consent around the turns (changing it is ``ConsentFlow``): what a session opens with,
/// refusals by browser signals, consents lapsing past their term, and the chat text kept
/// only while `session_logging` is in force, redacted before it is stored.
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
        let record = ConsentFlow.record(
          purpose.id, granted: false, method: "signal:" + code, context: flowContext(now), state: state)
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
      let expiry = ConsentFlow.record(
        purposeId, granted: false, method: "expiry", context: flowContext(now), state: state,
        at: record.expiresAt ?? now)
      // Kept if the database can: the consent is off in the session either way, and an
      // expiry not written is found again when the next session reads the records.
      keepIfPossible("a consent's expiry") { () throws(EngineError) in try store.consentRecorded(expiry) }
      state.consents[purposeId] = expiry
      var values = ConsentFlow.purposeValues(purpose, state: state)
      values["date"] = UTCDate.minute(record.expiresAt ?? now)
      notes.append(Reply(text: composer.templateReply("consent.expired", values: values)))
    }
    return notes
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
}
