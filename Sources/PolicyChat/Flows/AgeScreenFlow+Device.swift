import Foundation

/// The device's age answer holds in every session of the device (Engine+DeviceAnswer.swift
/// says what resets it).
extension AgeScreenFlow {
  /// Before a turn: an under-age answer given on this device in another session (or
  /// process) since this one last looked holds here from this turn on. Returns the note
  /// that tells the person, or nil when nothing changed.
  static func adoptDeviceAnswer(context: FlowContext, state: inout SessionState) throws(EngineError) -> FlowReply? {
    guard let deviceHash = state.deviceHash else { return nil }
    let current = state.ageGate?.strictness ?? AgeGateOutcome.adult.strictness
    // Nothing is stricter than below the service age: no need to look.
    guard current < AgeGateOutcome.belowServiceAge.strictness,
      let stored = try context.storedDeviceOutcome(deviceHash), stored.strictness > current
    else { return nil }
    state.ageGate = stored
    state.ageGateFromDevice = true
    state.age = nil
    // A flow that was let through before the answer (a request, a consent) is not the
    // child's to finish; the screen's own question stays, and so does a status look-up,
    // which lets nothing through.
    if case .flow(let flow)? = state.pending, !(flow is AgeScreenFlow), !(flow is RequestStatusFlow) {
      state.pending = nil
    }
    endForChild(context: context, state: &state, reason: "age screen: an under-age answer given on this device")
    let values = ["outcome": context.outcomeText(stored)]
    let decision = context.decision(
      .deviceOutcomeApplied, outcome: stored == .needsParentalConsent ? "deferred" : "refused", state: state,
      extra: values, facts: ["outcome": stored.stateName, "where": "another conversation on this device"])
    state.effect(.decision(decision))
    state.lastDecision = decision
    return FlowReply("age.device_answer_applies", values: values)
  }
}
