import Foundation

extension Engine {
  /// What the host's device id tells about an earlier answer and consent on this device,
  /// as a session opens.
  func recallDevice(_ deviceId: String, into state: inout SessionState, now: Date) throws(EngineError) {
    let hash = try store.hashDeviceId(deviceId)
    state.deviceHash = hash
    if let answer = try store.deviceOutcome(deviceHash: hash, since: now.addingTimeInterval(-gates.deviceMemory)),
      let outcome = AgeGateOutcome(rawValue: answer)
    {
      state.ageGate = outcome
      state.ageGateFromDevice = true
    }
    for consent in try store.parentalConsents(deviceHash: hash) where consent.status == "verified" {
      state.parentalReference = consent.reference
      state.parentalStatus = consent.status
      state.consentedScopes.insert(consent.detail ?? "*")
    }
  }
}
