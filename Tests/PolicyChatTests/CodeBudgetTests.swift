import Foundation
import PolicyChat
import Testing

/// A new request flow, a new conversation or a new child's session makes a new reference,
/// so the codes of one reference are not what bounds a stranger: budgets per mailbox, per
/// conversation and per device (knowledge/verification.yaml) are, kept in the database.
@Suite struct CodeBudgetTests {
  private let clock = ManualClock(TestEngine.start)

  private func engine(_ database: DatabaseLocation = .inMemory, seed: UInt64 = 91) throws -> Engine {
    try TestEngine.make(seed: seed, database: database, clock: clock)
  }

  private func codeSent(_ turn: Turn) -> String? {
    turn.events.first { $0.type == "verification.send" }?.data["code"]
  }

  /// An adult's access request in a new session, up to the code: the turn that answers the
  /// address.
  private func identify(
    _ address: String, engine: Engine, session: String? = nil, device: String? = nil
  ) throws -> (Turn, String) {
    let id = try session ?? engine.openSession(SessionOptions(country: "ZA", deviceId: device)).sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: id)
    _ = try engine.perform(.startRequest(type: "access"), in: id)
    return (try engine.perform(.requestAnswer(field: "email", value: address), in: id), id)
  }

  /// The refusal names no address: neither the one asked for, nor its masked form or domain.
  private func expectNoAddress(_ turn: Turn, _ address: String) {
    let said =
      ([turn.text]
      + [turn.decision?.explanation, turn.decision?.consequence, turn.decision?.contest].compactMap {
        $0
      }).joined(separator: " ")
    #expect(!said.contains(address) && !said.contains("***@") && !said.contains("example.net"), "\(said)")
  }

  @Test func oneMailboxGetsAtMostFiveCodesADayHoweverManyFlowsAskAndItsSpellings() throws {
    let engine = try engine()
    let spellings = [
      "victim@example.net", "Victim@Example.NET", "victim+1@example.net", "victim+2@example.net",
      "VICTIM+x@example.net",
    ]
    for spelling in spellings {
      let (turn, _) = try identify(spelling, engine: engine)
      #expect(turn.intent == "request.code_sent", "\(turn.intent): \(turn.text)")
    }
    let (refused, _) = try identify("victim+6@example.net", engine: engine)
    #expect(refused.intent == "request.code_budget", "\(refused.intent): \(refused.text)")
    #expect(codeSent(refused) == nil)
    #expect(refused.decision?.kind == "verification.code_budget")
    #expect(refused.decision?.facts?["budget"] == "address")
    expectNoAddress(refused, "victim+6@example.net")

    // Another mailbox is not affected, and the window moves on.
    #expect(try identify("someone.else@example.net", engine: engine).0.intent == "request.code_sent")
    clock.advance(by: 86_400 + 60)
    #expect(try identify("victim@example.net", engine: engine).0.intent == "request.code_sent")
  }

  @Test func oneConversationGetsAtMostFiveCodesAndOneDeviceTen() throws {
    let engine = try engine()
    let (first, session) = try identify("a0@example.net", engine: engine)
    #expect(codeSent(first) != nil)
    for index in 1..<5 {
      _ = try engine.perform(.cancelRequest, in: session)
      _ = try engine.perform(.startRequest(type: "access"), in: session)
      let turn = try engine.perform(.requestAnswer(field: "email", value: "a\(index)@example.net"), in: session)
      #expect(codeSent(turn) != nil, "\(turn.text)")
    }
    _ = try engine.perform(.cancelRequest, in: session)
    _ = try engine.perform(.startRequest(type: "access"), in: session)
    let refused = try engine.perform(.requestAnswer(field: "email", value: "a5@example.net"), in: session)
    #expect(refused.decision?.facts?["budget"] == "session", "\(refused.text)")
    #expect(codeSent(refused) == nil)

    for index in 0..<10 {
      #expect(try codeSent(identify("d\(index)@example.net", engine: engine, device: "tablet-1").0) != nil)
    }
    let onDevice = try identify("d10@example.net", engine: engine, device: "tablet-1").0
    #expect(onDevice.decision?.facts?["budget"] == "device", "\(onDevice.text)")
  }

  @Test func afterTenTriesForAMailboxEvenTheRightCodeIsRefused() throws {
    let engine = try engine()
    var last: (code: String, session: String)?
    for round in 0..<3 {
      let (turn, session) = try identify("guessed@example.net", engine: engine)
      let code = try #require(codeSent(turn), "round \(round): \(turn.text)")
      last = (code, session)
      // Four wrong tries at each code, in separate flows: ten in all reach the budget.
      for _ in 0..<(round == 2 ? 2 : 4) {
        let wrong = code == "000000" ? "111111" : "000000"
        let reply = try engine.perform(.requestAnswer(field: "code", value: wrong), in: session)
        #expect(reply.intent == "request.code_wrong", "\(reply.intent): \(reply.text)")
      }
    }
    let (code, session) = try #require(last)
    let refused = try engine.perform(.requestAnswer(field: "code", value: code), in: session)
    #expect(refused.intent == "request.code_budget", "\(refused.intent): \(refused.text)")
    #expect(refused.decision?.facts?["budget"] == "guesses")
    // And no new code goes out to that mailbox while the tries are spent.
    let (again, _) = try identify("guessed@example.net", engine: engine)
    #expect(again.decision?.facts?["budget"] == "guesses", "\(again.text)")
  }

  @Test func budgetsHoldAcrossEnginesOnOneDatabaseFile() throws {
    let (database, folder) = TestEngine.databaseFile("budget")
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = try engine(database, seed: 1)
    for _ in 0..<3 { #expect(try codeSent(identify("restart@example.net", engine: first).0) != nil) }
    // A second process, or the same one restarted, sees what the first spent.
    let second = try engine(database, seed: 2)
    for _ in 0..<2 { #expect(try codeSent(identify("restart@example.net", engine: second).0) != nil) }
    #expect(try identify("restart@example.net", engine: first).0.intent == "request.code_budget")
    #expect(try identify("restart@example.net", engine: second).0.intent == "request.code_budget")
    // An officer's purge keeps what is still inside the window.
    _ = try second.purge(dryRun: false)
    #expect(try identify("restart@example.net", engine: second).0.intent == "request.code_budget")
  }

  @Test func aStrangerWhoSpendsTheSharedBudgetDoesNotLockTheOwnerOut() throws {
    let engine = try engine()
    // The owner verifies once on their laptop: the device is now known to be theirs.
    let (sent, session) = try identify("owner@example.net", engine: engine, device: "owners-laptop")
    let done = try engine.perform(.requestAnswer(field: "code", value: try #require(codeSent(sent))), in: session)
    #expect(done.intent == "request.access_done", "\(done.intent): \(done.text)")
    for _ in 0..<5 { _ = try identify("owner@example.net", engine: engine) }
    #expect(try identify("owner@example.net", engine: engine).0.intent == "request.code_budget")
    let (own, _) = try identify("owner@example.net", engine: engine, device: "owners-laptop")
    #expect(codeSent(own) != nil, "\(own.intent): \(own.text)")
  }

  @Test func aStrangerTypingWrongCodesDoesNotLockTheOwnerOut() throws {
    let engine = try engine()
    let (sent, session) = try identify("owner.tries@example.net", engine: engine, device: "owners-phone")
    _ = try engine.perform(.requestAnswer(field: "code", value: try #require(codeSent(sent))), in: session)
    // A stranger spends the mailbox's tries over two codes of their own asking.
    for _ in 0..<2 {
      let (turn, stranger) = try identify("owner.tries@example.net", engine: engine)
      let code = try #require(codeSent(turn))
      for _ in 0..<5 {
        _ = try engine.perform(
          .requestAnswer(field: "code", value: code == "000000" ? "111111" : "000000"), in: stranger)
      }
    }
    #expect(try identify("owner.tries@example.net", engine: engine).0.decision?.facts?["budget"] == "guesses")
    // On the device already verified as theirs, the owner gets a code and it works.
    let (own, ownSession) = try identify("owner.tries@example.net", engine: engine, device: "owners-phone")
    let done = try engine.perform(.requestAnswer(field: "code", value: try #require(codeSent(own))), in: ownSession)
    #expect(done.intent == "request.access_done", "\(done.intent): \(done.text)")
  }

  @Test func aChildsSessionsShareTheParentsMailboxBudget() throws {
    let engine = try engine()
    var sent = 0
    for index in 0..<8 {
      let child = try engine.openSession(SessionOptions(country: "ZA", deviceId: "kid-\(index)")).sessionId
      _ = try engine.send("please delete my data", to: child)
      _ = try engine.send("I'm 15", to: child)
      let turn = try engine.send("parent.budget@example.net", to: child)
      if codeSent(turn) != nil {
        sent += 1
      } else {
        #expect(turn.decision?.kind == "parental_consent.code_budget", "\(turn.intent): \(turn.text)")
        expectNoAddress(turn, "parent.budget@example.net")
      }
    }
    #expect(sent == 5)
  }
}
