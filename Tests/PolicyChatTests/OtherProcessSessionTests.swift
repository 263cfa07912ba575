import Foundation
import PolicyChat
import Testing

/// A session's consents live in its process's memory; a withdrawal made through another
/// process on the same database must still stop it keeping chat text.
@Suite struct OtherProcessSessionTests {
  @Test func aWithdrawalInAnotherProcessStopsTheKeepingAtTheNextTurn() throws {
    let (database, folder) = TestEngine.databaseFile("other")
    defer { try? FileManager.default.removeItem(at: folder) }
    let clock = ManualClock(TestEngine.start)
    let one = try TestEngine.make(seed: 1, database: database, clock: clock)
    let two = try TestEngine.make(seed: 2, database: database, clock: clock)
    let first = try one.openSession(SessionOptions(country: "ZA", deviceId: "laptop")).sessionId
    _ = try one.perform(.declareAge("1990-05-01"), in: first)
    _ = try one.perform(.setConsent(purpose: "session_logging", granted: true), in: first)
    let second = try two.openSession(SessionOptions(country: "ZA", deviceId: "laptop")).sessionId
    #expect(try two.send("What cookies do you use?", to: second).state.logging == true)

    _ = try one.perform(.setConsent(purpose: "session_logging", granted: false), in: first)
    let after = try two.send("a line that must not be kept", to: second)
    #expect(after.state.logging != true)
    let kept = try two.export(sessionId: second).transcript.map(\.text)
    #expect(!kept.contains { $0.contains("must not be kept") }, "\(kept)")
  }
}
