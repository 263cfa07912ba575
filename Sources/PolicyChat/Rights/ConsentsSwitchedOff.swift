/// Objection and withdrawal of consent both switch purposes off, each with its own
/// method on the consent records.
enum ConsentsSwitchedOff {
  static func carryOut(
    _ purposes: [String], method: String, request: RightRequest, state: inout SessionState, engine: Engine
  ) throws(EngineError) -> RightOutcome {
    for purpose in purposes {
      let record = ConsentRecord(
        subject: state.subject, sessionId: state.id, purpose: purpose, granted: false, at: request.now,
        method: method, policyVersion: engine.knowledge.policy.version, jurisdiction: state.country ?? "unknown",
        expiresAt: nil)
      try engine.store.consentRecorded(record)
      state.consents[purpose] = record
    }
    let titles = purposes.compactMap { engine.consentCatalog.purpose($0)?.title.lowercased() }
    return RightOutcome(
      intent: "request.consents_off", values: ["purposes": titles.joined(separator: ", ")],
      outcome: "switched off: " + purposes.joined(separator: ", "))
  }
}
