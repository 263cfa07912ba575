import Foundation

/// The device's age answer is a monotone fact: the strictest outcome recorded for a device
/// (within the screen's memory, age-gate.yaml `deviceMemoryDays`) stands in every open and
/// future session of it, whatever the order of the answers across sessions and processes.
/// Only that memory running out resets it; an erasure or a parent's deletion keeps it (it is
/// a keyed hash of the host's device id, not the person's data).
extension Engine {
  /// Records `outcome` for a device unless a stricter one already stands, and returns the
  /// outcome that stands now. Read and write are one transaction, so that two processes
  /// answering for one device at once cannot both read "nothing" and the looser one win.
  @discardableResult
  func recordDeviceOutcome(_ outcome: AgeGateOutcome, deviceHash: String, now: Date) throws(EngineError)
    -> AgeGateOutcome
  {
    try store.atomically { () throws(EngineError) -> AgeGateOutcome in
      if let stored = try storedDeviceOutcome(deviceHash, now: now), stored.strictness > outcome.strictness {
        return stored
      }
      try store.deviceAnswered(deviceHash: deviceHash, outcome: outcome.rawValue, at: now)
      return outcome
    }
  }

  /// The outcome the device's memory holds, if any.
  func storedDeviceOutcome(_ deviceHash: String, now: Date) throws(EngineError) -> AgeGateOutcome? {
    try store.deviceOutcome(deviceHash: deviceHash, since: now.addingTimeInterval(-gates.deviceMemory))
      .flatMap(AgeGateOutcome.init(rawValue:))
  }

  /// Before a turn: an under-age answer given on this device in another session (or
  /// process) since this one last looked holds here from this turn on. Returns the note
  /// that tells the person, or nil when nothing changed.
  func adoptDeviceOutcome(state: inout SessionState, now: Date) throws(EngineError) -> Reply? {
    guard let deviceHash = state.deviceHash else { return nil }
    let current = state.ageGate?.strictness ?? AgeGateOutcome.adult.strictness
    // Nothing is stricter than below the service age: no need to look.
    guard current < AgeGateOutcome.belowServiceAge.strictness,
      let stored = try storedDeviceOutcome(deviceHash, now: now), stored.strictness > current
    else { return nil }
    state.ageGate = stored
    state.ageGateFromDevice = true
    state.age = nil
    // A flow that was let through before the answer (a request, a consent) is not the
    // child's to finish.
    if case .flow? = state.pending { state.pending = nil }
    try endForChild(state: &state, now: now, reason: "age screen: an under-age answer given on this device")
    let values = ["outcome": outcomeText(stored)]
    let decision = makeDecision(
      .deviceOutcomeApplied, outcome: stored == .needsParentalConsent ? "deferred" : "refused", state: state,
      extra: values, facts: ["outcome": stored.stateName, "where": "another conversation on this device"])
    try recordDecision(decision, state: state, now: now)
    state.lastDecision = decision
    return Reply(text: composer.templateReply("age.device_answer_applies", values: values))
  }

  /// A session that turned out to be a child's: what it stored is deleted (and the deletion
  /// logged), and consents given in it before end, recorded as ended by the age screen, so
  /// that no later session of the device finds them given.
  func endForChild(state: inout SessionState, now: Date, reason: String) throws(EngineError) {
    try deleteChildData(sessionId: state.id, deviceHash: nil, reference: nil, reason: reason, now: now)
    for (purpose, record) in state.consents.sorted(by: { $0.key < $1.key }) where record.granted {
      let ended = ConsentRecord(
        subject: state.subject, sessionId: state.id, purpose: purpose, granted: false, at: now,
        method: "age_screen", policyVersion: knowledge.policy.version, jurisdiction: state.country ?? "unknown",
        expiresAt: nil)
      try store.consentRecorded(ended)
      state.consents[purpose] = ended
    }
  }
}
