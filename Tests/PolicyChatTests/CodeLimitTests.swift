import Foundation
import PolicyChat
import Testing

/// Whoever knows a reference can ask for codes to be sent to its owner; at most five a day
/// go out for one reference, so a stranger can neither flood a mailbox nor guess code after
/// code. The refusal is an automated decision, explained, and the code in hand still works.
@Suite struct CodeLimitTests {
  private let clock = ManualClock(TestEngine.start)

  private func engine() throws -> Engine {
    try Engine(
      configuration: EngineConfiguration(
        home: TestEngine.repositoryRoot, clock: clock, random: SeededRandomSource(seed: 77)))
  }

  private func codeSent(_ turn: Turn) -> String? {
    turn.events.first { $0.type == "verification.send" }?.data["code"]
  }

  @Test func aParentsReferenceIsSentAtMostFiveCodesADay() throws {
    let engine = try engine()
    let child = try engine.openSession(SessionOptions(country: "ZA")).sessionId
    _ = try engine.send("please delete my data", to: child)
    _ = try engine.send("I'm 15", to: child)
    let asked = try engine.send("mum.limit@example.com", to: child)
    let reference = try #require(asked.events.first?.data["reference"])
    #expect(codeSent(asked) != nil)

    // The child's request made the first code; strangers get four more, then none.
    for _ in 0..<4 {
      let stranger = try engine.openSession().sessionId
      let turn = try engine.send("revoke my consent for my child \(reference)", to: stranger)
      #expect(turn.intent == "parent.verify_again", "\(turn.intent): \(turn.text)")
      #expect(codeSent(turn) != nil)
    }
    let stranger = try engine.openSession().sessionId
    let refused = try engine.send("revoke my consent for my child \(reference)", to: stranger)
    #expect(refused.intent == "parent.code_limit", "\(refused.intent): \(refused.text)")
    #expect(codeSent(refused) == nil)
    #expect(refused.decision?.kind == "parental_consent.code_limit")
    #expect(refused.decision?.explanation.contains("5 codes were already sent") == true)
    #expect(refused.text.contains("ask again from 2026-"), "\(refused.text)")
    #expect(!refused.text.contains("mum.limit@example.com"))

    // A day after the first codes, codes go out again.
    clock.advance(by: 86_400 + 60)
    let later = try engine.send("revoke my consent for my child \(reference)", to: try engine.openSession().sessionId)
    #expect(later.intent == "parent.verify_again", "\(later.intent): \(later.text)")
  }

  @Test func aRequestsStatusIsSentAtMostFiveCodesADayAndTheCodeInHandStillWorks() throws {
    let engine = try engine()
    let owner = try engine.openSession(SessionOptions(country: "ZA")).sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: owner)
    _ = try engine.send("I want to correct my data", to: owner)
    let sent = try engine.send("owner.limit@example.org", to: owner)
    _ = try engine.send(try #require(codeSent(sent)), to: owner)
    let made = try engine.send("my surname is misspelt", to: owner)
    let text = made.text
    let range = try #require(text.range(of: #"RQ-[A-Z0-9]{6}"#, options: .regularExpression), "\(text)")
    let reference = String(text[range])

    // The owner's own identity code is the reference's first of the day; four status codes
    // follow, then none. (Each from its own conversation: one conversation gets at most
    // three codes a day whatever the reference, CodeBudgetTests.)
    var asker = ""
    var lastCode: String?
    for _ in 0..<4 {
      asker = try engine.openSession().sessionId
      let turn = try engine.send("what's the status of \(reference)?", to: asker)
      #expect(turn.intent == "request.status_code_sent", "\(turn.intent): \(turn.text)")
      lastCode = codeSent(turn)
    }
    let refused = try engine.send("send a new code", to: asker)
    #expect(refused.intent == "request.code_limit", "\(refused.intent): \(refused.text)")
    #expect(codeSent(refused) == nil)
    #expect(refused.decision?.kind == "verification.code_limit")
    // The code already sent was not replaced by the refusal.
    let status = try engine.send(try #require(lastCode), to: asker)
    #expect(status.intent == "request.status", "\(status.intent): \(status.text)")
    // From another session too, nothing more today.
    let again = try engine.send("what's the status of \(reference)?", to: try engine.openSession().sessionId)
    #expect(again.intent == "request.code_limit")
  }
}
