import Foundation
import PolicyChat
import Testing

/// What a front end may write into its own history of typed lines: the engine says, by the
/// rule it keeps chat text by.
@Suite("History of typed lines")
struct HistoryTests {
  private let clock = ManualClock(TestEngine.start)

  private func engine() throws -> Engine {
    try TestEngine.make(seed: 21, clock: clock)
  }

  private func adult(_ engine: Engine) throws -> String {
    let id = try engine.openSession(SessionOptions(country: "ZA")).sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: id)
    return id
  }

  private func code(_ turn: Turn) throws -> String {
    try #require(turn.events.first { $0.type == "verification.send" }?.data["code"])
  }

  @Test("Without logging consent nothing of a line goes into history")
  func nothingWithoutConsent() throws {
    let engine = try engine()
    let id = try adult(engine)
    #expect(try engine.sendKeepingHistory("do you sell my data?", to: id).history == .nothing)
    #expect(try !engine.mayRecallHistory(in: id))
  }

  @Test("With logging consent a line goes into history redacted, and the line giving consent does not")
  func redactedWithConsent() throws {
    let engine = try engine()
    let id = try adult(engine)
    #expect(try engine.sendKeepingHistory("you can keep my chats", to: id).history == .nothing)
    let sent = try engine.sendKeepingHistory("my phone is 082 555 1234, how long do you keep it?", to: id)
    #expect(sent.history == .append("my phone is [phone], how long do you keep it?"))
    #expect(try engine.mayRecallHistory(in: id))
  }

  @Test("A one-time code typed under logging consent never goes into history")
  func codeNeverInHistory() throws {
    let engine = try engine()
    let id = try adult(engine)
    _ = try engine.send("you can keep my chats", to: id)
    #expect(try engine.sendKeepingHistory("send me a copy of my data", to: id).history != .nothing)
    let sent = try engine.sendKeepingHistory("thandi@example.org", to: id)
    #expect(sent.history == .append("[email]"))
    let secret = try code(sent.turn)
    #expect(try engine.sendKeepingHistory(secret, to: id).history == .nothing)
  }

  @Test("A wrong code is as much a code as the right one")
  func wrongCodeNeverInHistory() throws {
    let engine = try engine()
    let id = try adult(engine)
    _ = try engine.send("you can keep my chats", to: id)
    _ = try engine.send("send me a copy of my data", to: id)
    let sent = try engine.send("thandi@example.org", to: id)
    let wrong = try code(sent) == "000000" ? "111111" : "000000"
    #expect(try engine.sendKeepingHistory(wrong, to: id).history == .nothing)
  }

  @Test("A slash command is not written into history")
  func commandsAreNotHistory() throws {
    let engine = try engine()
    let id = try adult(engine)
    _ = try engine.send("you can keep my chats", to: id)
    #expect(try engine.sendKeepingHistory("/help", to: id).history == .nothing)
  }

  @Test("Having kept conversations deleted deletes the history too")
  func deletionDeletesHistory() throws {
    let engine = try engine()
    let id = try adult(engine)
    _ = try engine.send("you can keep my chats", to: id)
    _ = try engine.send("what are cookies?", to: id)
    #expect(try engine.sendKeepingHistory("stop logging my chats", to: id).history == .nothing)
    #expect(try engine.sendKeepingHistory("yes", to: id).history == .deleteAll)
    #expect(try !engine.mayRecallHistory(in: id))
  }

  @Test("An unknown session has no history to recall")
  func unknownSession() throws {
    #expect(throws: EngineError.unknownSession) { try engine().mayRecallHistory(in: "s-none") }
  }
}
