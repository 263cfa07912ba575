import Foundation

/// Consent around the turns (changing it is ``ConsentFlow``): what a session opens with,
/// refusals by browser signals, consents lapsing past their term, and consents asked again
/// after a material change of the policy.
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

  /// A returning person whose consents were given under an earlier policy is told what
  /// changed; consents given before a material change are asked again.
  func policyChanges(state: inout SessionState, now: Date) throws(EngineError) -> [Reply] {
    let current = knowledge.policy.version
    let old = state.consents.values.filter { $0.granted && $0.policyVersion != current }
    // The earliest of them in the policy's own order of versions ("9" before "10").
    let order = Dictionary(uniqueKeysWithValues: disclosure.versions.enumerated().map { ($1.version, $0) })
    guard let since = old.map(\.policyVersion).min(by: { (order[$0] ?? -1) < (order[$1] ?? -1) }) else { return [] }
    let changes = disclosure.changes(since: since)
    var notes = [
      Reply(
        text: "The privacy policy has changed since you last agreed to something here (version \(since) → \(current)): "
          + changes.map { "\($0.summary) (version \($0.version), \($0.date))" }.joined(separator: " "))
    ]
    let material = changes.contains(where: \.material)
    var askedAgain: [String] = []
    for record in old.sorted(by: { $0.purpose < $1.purpose }) {
      // A material change asks again; otherwise the consent carries on under the new version.
      let renewed = ConsentRecord(
        subject: record.subject, sessionId: state.id, purpose: record.purpose, granted: !material, at: now,
        method: material ? "policy_change" : "policy_update", policyVersion: current,
        jurisdiction: record.jurisdiction, expiresAt: material ? nil : record.expiresAt)
      try store.consentRecorded(renewed)
      state.consents[record.purpose] = renewed
      if material, let purpose = consentCatalog.purpose(record.purpose) {
        askedAgain.append("\(purpose.title.lowercased()) (say \"\(purpose.on)\")")
      }
    }
    if !askedAgain.isEmpty {
      notes.append(
        Reply(
          text: "Because the change matters for what you agreed to, these are off until you agree again: "
            + askedAgain.joined(separator: ", ") + "."))
    }
    return notes
  }
}
