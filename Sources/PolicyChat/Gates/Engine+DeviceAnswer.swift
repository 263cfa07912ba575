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
}
