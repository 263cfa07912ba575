import Foundation
import GRDB
import Testing

@testable import PolicyChat

/// Rights requests in chat: verified every time, with a reference and a deadline, carried
/// out, cancellable, and after an erasure nothing of the person left but the tombstone.
@Suite struct RequestFlowTests {
  private let clock = ManualClock(TestEngine.start)

  private func engine(_ database: DatabaseLocation = .inMemory) throws -> Engine {
    try Engine(
      configuration: EngineConfiguration(
        home: TestEngine.repositoryRoot, database: database, clock: clock, random: SeededRandomSource(seed: 21)))
  }

  private func adult(_ engine: Engine, country: String = "ZA", device: String? = nil) throws -> String {
    let id = try engine.openSession(SessionOptions(country: country, deviceId: device)).sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: id)
    return id
  }

  private func code(_ turn: Turn) throws -> String {
    try #require(turn.events.first { $0.type == "verification.send" }?.data["code"])
  }

  /// Asks, gives the address and the code; returns the turn after the code.
  @discardableResult
  private func request(
    _ text: String, in session: String, engine: Engine, email: String = "thandi@example.org"
  ) throws -> Turn {
    let asked = try engine.send(text, to: session)
    #expect(asked.text.contains("e-mail address"), "\(asked.text)")
    let sent = try engine.send(email, to: session)
    #expect(sent.intent == "request.code_sent")
    return try engine.send(try code(sent), to: session)
  }

  private func reference(_ turn: Turn) throws -> String {
    let text = turn.text
    let range = try #require(text.range(of: #"RQ-[A-Z0-9]{6}"#, options: .regularExpression))
    return String(text[range])
  }

  @Test func anAccessRequestIsVerifiedGivenAReferenceAndADeadlineAndCarriedOut() throws {
    let engine = try engine()
    let id = try adult(engine, country: "DE")
    let done = try request("send me a copy of my data", in: id, engine: engine)
    #expect(done.intent == "request.access_done")
    let record = try #require(try engine.request(try reference(done)))
    #expect(record.type == "access" && record.status == "completed" && record.regime == "gdpr")
    #expect(record.dueAt == Calendar(identifier: .gregorian).date(byAdding: .month, value: 1, to: TestEngine.start))
  }

  @Test func aRequestThatLooksLikeADuplicateIsVerifiedAgain() throws {
    let engine = try engine()
    let id = try adult(engine)
    let first = try request("I object to direct marketing", in: id, engine: engine)
    let again = try engine.send("I object to direct marketing", to: id)
    #expect(again.text.contains("what is your e-mail address?"))
    let sent = try engine.send("thandi@example.org", to: id)
    #expect(sent.events.contains { $0.type == "verification.send" })
    let second = try engine.send(try code(sent), to: id)
    #expect(try reference(second) != (try reference(first)))
  }

  @Test func aWrongCodeCountsDownAndAnExpiredCodeMakesNoRequest() throws {
    let engine = try engine()
    let id = try adult(engine)
    _ = try engine.send("please delete my data", to: id)
    let sent = try engine.send("thandi@example.org", to: id)
    let right = try code(sent)
    let wrong = right == "000000" ? "111111" : "000000"
    #expect(try engine.send(wrong, to: id).text.contains("4 more tries"))
    clock.advance(by: 11 * 60)
    let expired = try engine.send(right, to: id)
    #expect(expired.decision?.kind == "verification.expired")
    #expect(try engine.requests().isEmpty)
  }

  @Test func cancellingKeepsNothingButTheAuditNote() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-rq-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("db.sqlite").path
    let engine = try engine(.file(path))
    let id = try adult(engine)
    _ = try engine.send("send me a copy of my data", to: id)
    _ = try engine.send("thandi@example.org", to: id)
    #expect(try engine.send("cancel", to: id).intent == "request.cancelled")
    let queue = try DatabaseQueue(path: path)
    let (requests, subjects, actions) = try queue.read { db in
      (
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM request"),
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM data_subject"),
        try String.fetchAll(db, sql: "SELECT action FROM audit_log")
      )
    }
    #expect(requests == 0 && subjects == 0)
    #expect(actions == ["request flow cancelled"])
  }

  @Test func afterAnErasureNothingOfThePersonIsLeftButTheTombstone() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-rq-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("db.sqlite").path
    let engine = try engine(.file(path))
    let earlier = try adult(engine, device: "laptop-7")
    _ = try engine.send("you can keep my chats", to: earlier)
    _ = try engine.send("my phone is 082 555 1234, what do you keep?", to: earlier)
    try request("send me a copy of my data", in: earlier, engine: engine)
    try engine.closeSession(earlier)

    let id = try engine.openSession(SessionOptions(country: "ZA", deviceId: "laptop-7")).sessionId
    _ = try engine.send("please delete my data", to: id)
    let sent = try engine.send("thandi@example.org", to: id)
    let confirm = try engine.send(try code(sent), to: id)
    #expect(confirm.text.contains("cannot be undone"))
    let done = try engine.send("yes", to: id)
    #expect(done.intent == "request.erasure_done")
    let tombstone = try reference(done)
    _ = try engine.send("what are cookies?", to: id)
    try engine.closeSession(id)

    let queue = try DatabaseQueue(path: path)
    let (rows, subjectId, requests, email, devices) = try queue.read { db in
      var rows: [(String, String)] = []
      for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
        for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"") {
          rows.append((table, row.databaseValues.map(\.description).joined(separator: " | ")))
        }
      }
      return (
        rows, try String.fetchOne(db, sql: "SELECT id FROM data_subject") ?? "",
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM request"),
        try String.fetchOne(db, sql: "SELECT email FROM data_subject"),
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM device_answer")
      )
    }
    let traces = ["thandi@example.org", earlier, id, "082 555 1234", "[phone]", "what do you keep", "session_logging"]
    for (table, text) in rows {
      for trace in traces { #expect(!text.contains(trace), "\(table) still holds '\(trace)': \(text)") }
      if text.contains(subjectId) {
        #expect(table == "data_subject" || (table == "request" && text.contains(tombstone)), "\(table): \(text)")
      }
    }
    #expect(!subjectId.isEmpty)
    #expect(requests == 1 && email == nil && devices == 0)
  }

  @Test func aRejectionIsToldInTheNextSessionWithTheComplaintRoute() throws {
    let engine = try engine()
    let id = try adult(engine, country: "ZA", device: "phone-3")
    let asked = try request("I want a human to look at this", in: id, engine: engine)
    #expect(asked.intent == "request.ask_details_human_review")
    let opened = try engine.send("the age check got me wrong", to: id)
    let ref = try reference(opened)
    #expect(try engine.request(ref)?.status == "open")
    _ = try engine.rejectRequest(ref, reason: "the age check was right", by: "nomsa")
    let next = try engine.openSession(SessionOptions(country: "ZA", deviceId: "phone-3"))
    #expect(next.text.contains("was rejected: the age check was right"))
    #expect(next.text.contains("Information Regulator"))
    let later = try engine.openSession(SessionOptions(country: "ZA", deviceId: "phone-3"))
    #expect(!later.text.contains("was rejected"))
    #expect(try engine.auditLog(reference: ref).map(\.action) == ["received", "rejected", "rejection told"])
  }

  @Test func aStatusLookupNeedsTheCodeAndShowsTheDueDate() throws {
    let engine = try engine()
    let id = try adult(engine, country: "FR")
    try request("I want to complain about my data being misused", in: id, engine: engine)
    let recorded = try engine.send("you kept my chats without asking", to: id)
    let ref = try reference(recorded)
    let other = try engine.openSession(SessionOptions(country: "FR")).sessionId
    let asked = try engine.send("what's the status of \(ref)?", to: other)
    #expect(asked.intent == "request.status_code_sent")
    #expect(!asked.text.contains("open"))
    let status = try engine.send(try code(asked), to: other)
    #expect(status.intent == "request.status")
    #expect(status.text.contains("open") && status.text.contains("due by 2026-12-"))
  }

  @Test func aRestrictionStopsAllKeepingUntilLifted() throws {
    let engine = try engine()
    let id = try adult(engine, device: "tab-9")
    let done = try request("restrict the processing of my data", in: id, engine: engine)
    #expect(done.intent == "request.restriction_done")
    let refused = try engine.send("you can keep my chats", to: id)
    #expect(refused.decision?.kind == "request.restriction_in_force")
    let next = try engine.openSession(SessionOptions(country: "ZA", deviceId: "tab-9")).sessionId
    #expect(try engine.send("you can keep my chats", to: next).decision?.kind == "request.restriction_in_force")
    _ = try engine.liftRestriction(try reference(done), by: "nomsa")
    let lifted = try adult(engine, device: "tab-9")
    #expect(try engine.send("you can keep my chats", to: lifted).intent == "consent.given")
  }

  @Test func theOfficerExtendsOnceWithinTheFirstPeriodOnly() throws {
    let engine = try engine()
    let id = try adult(engine, country: "ZA")
    try request("I want to complain about my data being misused", in: id, engine: engine)
    let ref = try reference(try engine.send("you shared my data", to: id))
    let extended = try engine.extendRequest(ref, reason: "we need the call logs", by: "nomsa")
    #expect(
      extended.extendedAt == Calendar(identifier: .gregorian).date(byAdding: .day, value: 60, to: TestEngine.start))
    #expect(throws: EngineError.self) { try engine.extendRequest(ref, reason: "again", by: "nomsa") }
    clock.advance(by: 70 * 86_400)
    #expect(try engine.requests(RequestFilter(overdueAt: engine.now)).map(\.reference) == [ref])
  }

  @Test func afterAnExpiredCodeANewOneCanBeSentAndWorks() throws {
    let engine = try engine()
    let id = try adult(engine)
    _ = try engine.send("send me a copy of my data", to: id)
    let first = try engine.send("thandi@example.org", to: id)
    clock.advance(by: 11 * 60)
    #expect(try engine.send(try code(first), to: id).intent == "request.code_expired")
    let again = try engine.send("send a new code", to: id)
    #expect(again.intent == "request.new_code" || again.text.contains("new code"))
    let done = try engine.send(try code(again), to: id)
    #expect(done.intent == "request.access_done")
    #expect(!done.text.contains("earlier request"), "the summary counts the request itself: \(done.text)")
  }

  @Test func cancellingAfterVerifyingKeepsNoSubjectRecord() throws {
    let engine = try engine()
    let id = try adult(engine, device: "pc-1")
    _ = try engine.send("please delete my data", to: id)
    let sent = try engine.send("thandi@example.org", to: id)
    #expect(try engine.send(try code(sent), to: id).intent == "request.confirm_erasure")
    #expect(try engine.send("no", to: id).intent == "request.cancelled")
    #expect(try engine.exportSubject("thandi@example.org", by: "test") == nil)
  }

  @Test func aLiftReachesSessionsAlreadyOpen() throws {
    let engine = try engine()
    let id = try adult(engine)
    let done = try request("restrict the processing of my data", in: id, engine: engine)
    #expect(try engine.send("you can keep my chats", to: id).decision?.kind == "request.restriction_in_force")
    _ = try engine.liftRestriction(try reference(done), by: "nomsa")
    #expect(try engine.send("you can keep my chats", to: id).intent == "consent.given")
  }

  @Test func aCodeTypedUnderLoggingIsNotKept() throws {
    let engine = try engine()
    let id = try adult(engine)
    _ = try engine.send("you can keep my chats", to: id)
    _ = try engine.send("send me a copy of my data", to: id)
    let sent = try engine.send("thandi@example.org", to: id)
    let secret = try code(sent)
    _ = try engine.send(secret, to: id)
    let kept = try engine.export(sessionId: id).transcript.map(\.text).joined(separator: "\n")
    #expect(!kept.contains(secret))
    #expect(kept.contains("[code]"))
  }

  // MARK: The flows as values

  @Test func aRequestStepWritesNothingUntilTheEngineAppliesItsEffects() throws {
    let engine = try engine()
    let context = engine.flowContext(engine.now)
    var state = SessionState(id: "s-request-of-test")
    let asked = RequestFlow(draft: RequestDraft(type: "erasure"), question: .email)

    // The code is the verifier's own write (its transaction); nothing else is written.
    let sent = try asked.step(
      .text(message: "thandi@example.org", normalized: "thandi@example.org"), context: context, state: &state)
    guard case .reply(let sentReply, .flow(let waiting as RequestFlow)?) = sent else {
      Issue.record("the flow sends a code and waits on it")
      return
    }
    #expect(waiting.waitsOnCode)
    let secret = try #require(sentReply.events.first { $0.type == "verification.send" }?.data["code"])
    #expect(state.effects.isEmpty)

    let verified = try waiting.step(.text(message: secret, normalized: secret), context: context, state: &state)
    guard case .reply(let confirm, .flow(let confirming as RequestFlow)?) = verified else {
      Issue.record("the flow shows what is held and waits on a yes")
      return
    }
    #expect(confirm.turnIntent == "request.confirm_erasure")
    #expect(confirm.parts.first?.template == "request.verified")
    // What is held is shown as it will be once this session is linked: one conversation.
    #expect(confirm.parts.last?.values["summary"]?.contains("1 conversation") == true)
    #expect(!confirming.waitsOnCode)
    let kinds = state.effects.map { effect -> String in
      switch effect {
      case .saveSubject: "subject"
      case .link(_, let key): "link:\(key)"
      default: "other"
      }
    }
    #expect(kinds == ["subject", "link:session:s-request-of-test", "link:session:s-request-of-test"])
    #expect(try engine.store.subject(email: "thandi@example.org") == nil)

    try engine.applyEffects(of: &state, now: context.now)
    let subject = try #require(try engine.store.subject(email: "thandi@example.org"))
    #expect(try engine.store.subject(linkedTo: "session:s-request-of-test")?.id == subject.id)

    // The go-ahead hands the request to the engine; the flow records nothing itself.
    let go = try confirming.step(
      .action(.requestAnswer(field: "confirm", value: "true")), context: context, state: &state)
    guard case .fulfil(let request, nil) = go else {
      Issue.record("a yes hands the verified request to its right")
      return
    }
    #expect(request.type == "erasure" && request.subjectId == subject.id)
    #expect(try engine.requests().isEmpty)
  }

  /// An erasure asked for over the protocol, up to its confirmation.
  private func erasureAwaitingConfirmation(_ engine: Engine) throws -> String {
    let id = try adult(engine)
    _ = try engine.perform(.startRequest(type: "erasure"), in: id)
    let sent = try engine.perform(.requestAnswer(field: "email", value: "thandi@example.org"), in: id)
    let asked = try engine.perform(.requestAnswer(field: "code", value: try code(sent)), in: id)
    #expect(asked.intent == "request.confirm_erasure")
    return id
  }

  @Test func aConfirmFalseCancelsAndAConfirmTrueProceedsWithoutReadingWords() throws {
    let engine = try engine()
    let refused = try erasureAwaitingConfirmation(engine)
    let no = try engine.perform(.requestAnswer(field: "confirm", value: "false"), in: refused)
    #expect(no.intent == "request.cancelled")
    #expect(
      try engine.auditLog().contains { $0.action == "request flow cancelled" && $0.detail == "erasure not confirmed" })
    #expect(try engine.exportSubject("thandi@example.org", by: "test") == nil)

    let agreed = try erasureAwaitingConfirmation(engine)
    // Another field is not the answer awaited, and the question still waits.
    #expect(throws: EngineError.self) {
      try engine.perform(.requestAnswer(field: "text", value: "yes"), in: agreed)
    }
    let yes = try engine.perform(.requestAnswer(field: "confirm", value: "true"), in: agreed)
    #expect(yes.intent == "request.erasure_done")
    #expect(try engine.requests().map(\.status) == ["completed"])
  }

  @Test func aCodeTypedForAStatusLookUpIsNeitherKeptNorInTheHistory() throws {
    let engine = try engine()
    let id = try adult(engine)
    try request("I want to complain about my data being misused", in: id, engine: engine)
    let ref = try reference(try engine.send("you kept my chats without asking", to: id))
    let other = try adult(engine)
    _ = try engine.send("you can keep my chats", to: other)
    let asked = try engine.sendKeepingHistory("what's the status of \(ref)?", to: other)
    #expect(asked.turn.intent == "request.status_code_sent")
    let secret = try code(asked.turn)
    let status = try engine.sendKeepingHistory(secret, to: other)
    #expect(status.turn.intent == "request.status")
    #expect(status.history == .nothing)
    let kept = try engine.export(sessionId: other).transcript.map(\.text).joined(separator: "\n")
    #expect(!kept.contains(secret))
    #expect(kept.contains("[code]"))
  }
}
