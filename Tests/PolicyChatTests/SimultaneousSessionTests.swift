import Foundation
import PolicyChat
import Synchronization
import Testing

/// Two tabs of one device changing state at once: every change made in the same instant
/// survives, in every session it concerns. (Two turns of one session are serialised by
/// SessionTable's turn lock; no test here makes them overlap reliably enough to fail.)
@Suite struct SimultaneousSessionTests {
  /// The purposes each of two sessions turns on, at the same moment.
  static let purposes = ("analytics", "marketing")

  @Test func twoSessionsOfOneDeviceChangingConsentAtOnceKeepBothChanges() throws {
    let engine = try TestEngine.make()
    // Many rounds, so that the two turns really do overlap in some of them.
    for round in 0..<150 {
      let device = "shared-laptop-\(round)"
      let first = try engine.openSession(SessionOptions(country: "ZA", deviceId: device)).sessionId
      let second = try engine.openSession(SessionOptions(country: "ZA", deviceId: device)).sessionId
      _ = try engine.perform(.declareAge("1990-05-01"), in: first)
      _ = try engine.perform(.declareAge("1990-05-01"), in: second)
      let sessions = [first, second]
      let failures = Mutex<[String]>([])
      DispatchQueue.concurrentPerform(iterations: 2) { index in
        let purpose = index == 0 ? Self.purposes.0 : Self.purposes.1
        do {
          _ = try engine.perform(.setConsent(purpose: purpose, granted: true), in: sessions[index])
        } catch {
          failures.withLock { $0.append("\(purpose): \(error)") }
        }
      }
      #expect(failures.withLock { $0 }.isEmpty)
      for session in sessions {
        let consents = try engine.perform(.consentStatus, in: session).state.consents ?? [:]
        #expect(consents[Self.purposes.0] == "given", "round \(round): \(Self.purposes.0) lost in \(session)")
        #expect(consents[Self.purposes.1] == "given", "round \(round): \(Self.purposes.1) lost in \(session)")
      }
    }
  }

  @Test func aChangeFromAnotherSessionDoesNotUndoALaterOneOfTheSessionItself() throws {
    let clock = ManualClock(TestEngine.start)
    let engine = try TestEngine.make(clock: clock)
    let first = try engine.openSession(SessionOptions(country: "ZA", deviceId: "family-pc")).sessionId
    let second = try engine.openSession(SessionOptions(country: "ZA", deviceId: "family-pc")).sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: first)
    _ = try engine.perform(.declareAge("1990-05-01"), in: second)
    _ = try engine.perform(.setConsent(purpose: "analytics", granted: true), in: first)
    clock.advance(by: 1)
    _ = try engine.perform(.setConsent(purpose: "analytics", granted: false), in: second)
    for session in [first, second] {
      let consents = try engine.perform(.consentStatus, in: session).state.consents ?? [:]
      #expect(consents["analytics"] == "refused")
    }
  }
}
