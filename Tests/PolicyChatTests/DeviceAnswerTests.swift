import Foundation
import PolicyChat
import Testing

/// The strictest age answer given on a device holds in every open and future session of it,
/// in whatever order the sessions (and processes) answered.
@Suite struct DeviceAnswerTests {
  private let clock = ManualClock(TestEngine.start)

  private func engine(_ database: DatabaseLocation = .inMemory, seed: UInt64 = 5) throws -> Engine {
    try TestEngine.make(seed: seed, database: database, clock: clock)
  }

  private func open(_ engine: Engine, device: String = "family-pc") throws -> String {
    try engine.openSession(SessionOptions(country: "ZA", deviceId: device)).sessionId
  }

  @Test func aSecondTabOpenedBeforeTheChildsAnswerCannotAnswerAsAnAdult() throws {
    let engine = try engine()
    let first = try open(engine)
    let second = try open(engine)
    let child = try engine.perform(.declareAge("12"), in: first)
    #expect(child.state.childPrivacy == true)

    let adult = try engine.perform(.declareAge("40"), in: second)
    #expect(adult.state.ageGate != "adult", "\(adult.text)")
    #expect(adult.state.childPrivacy == true)
    #expect(adult.text.contains("given on this device in another conversation"), "\(adult.text)")
    // The device's answer holds here, so the 40 is a second answer, and refused.
    #expect(adult.decision?.kind == "age_gate.redeclaration_refused", "\(adult.decision?.kind ?? "none")")
    let logging = try engine.perform(.setConsent(purpose: "session_logging", granted: true), in: second)
    #expect(logging.state.logging != true && logging.state.consents?["session_logging"] != "given")
    // And the device's memory is still the child's.
    #expect(try engine.openSession(SessionOptions(deviceId: "family-pc")).state.childPrivacy == true)
  }

  @Test func anAdultTabLearnsOfTheChildsAnswerAtItsNextTurnAndItsConsentsEnd() throws {
    let engine = try engine()
    let adultTab = try open(engine)
    let childTab = try open(engine)
    _ = try engine.perform(.declareAge("40"), in: adultTab)
    let on = try engine.perform(.setConsent(purpose: "session_logging", granted: true), in: adultTab)
    #expect(on.state.logging == true)
    _ = try engine.perform(.declareAge("12"), in: childTab)

    let next = try engine.send("How long do you keep my data?", to: adultTab)
    #expect(next.state.childPrivacy == true)
    #expect(next.state.logging != true && next.state.consents?["session_logging"] != "given", "\(next.state)")
    #expect(next.replies.first?.text.contains("another conversation") == true, "\(next.text)")
    // The answer itself is still given.
    #expect(!next.sources.isEmpty)
    // A later session of the device finds the consent ended, not given.
    let later = try engine.openSession(SessionOptions(deviceId: "family-pc"))
    #expect(later.state.consents?["session_logging"] != "given")
  }

  @Test func aConsentGivenAfterTheChildsAnswerDoesNotMakeTheDeviceAnAdults() throws {
    let (database, folder) = TestEngine.databaseFile("device")
    defer { try? FileManager.default.removeItem(at: folder) }
    // Two engines on one file, as two `serve` processes would be.
    let one = try engine(database, seed: 1)
    let two = try engine(database, seed: 2)
    let adultTab = try open(one)
    _ = try one.perform(.declareAge("40"), in: adultTab)
    _ = try two.perform(.declareAge("12"), in: try open(two))
    // Opened before it saw the child's answer, the first engine's tab gives a consent.
    _ = try one.perform(.setConsent(purpose: "analytics", granted: true), in: adultTab)
    for engine in [one, two] {
      let fresh = try engine.openSession(SessionOptions(deviceId: "family-pc"))
      #expect(fresh.state.childPrivacy == true, "\(fresh.state)")
    }
  }
}
