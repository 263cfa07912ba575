import Foundation
import PolicyChat
import Testing

/// The whole engine over the in-memory store: the rules are the engine's, so a rights
/// request and an erasure behave as they do over SQLite.
@Suite struct InMemoryStoreEngineTests {
  private let store = InMemorySessionStore()

  private func engine() throws -> Engine {
    try Engine(
      configuration: EngineConfiguration(
        home: TestEngine.repositoryRoot, clock: ManualClock(TestEngine.start), random: SeededRandomSource(seed: 21)),
      store: store)
  }

  private func adult(_ engine: Engine, device: String? = nil) throws -> String {
    let id = try engine.openSession(SessionOptions(country: "ZA", deviceId: device)).sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: id)
    return id
  }

  /// Asks, gives the address and the code; returns the turn after the code.
  private func verified(_ text: String, in session: String, engine: Engine) throws -> Turn {
    _ = try engine.send(text, to: session)
    let sent = try engine.send("thandi@example.org", to: session)
    let code = try #require(sent.events.first { $0.type == "verification.send" }?.data["code"])
    return try engine.send(code, to: session)
  }

  @Test func anAccessRequestIsVerifiedRecordedAndCarriedOutWithTheAddressSealed() throws {
    let engine = try engine()
    let id = try adult(engine)
    let done = try verified("send me a copy of my data", in: id, engine: engine)
    #expect(done.intent == "request.access_done", "\(done.text)")
    let requests = try store.records(StoredRequest.self, matching: .all)
    #expect(requests.map(\.status) == ["completed"] && requests.first?.sessionId == id)
    #expect(try engine.request(try #require(requests.first?.reference))?.type == "access")
    // The store never saw the address: the engine sealed it first.
    let subject = try #require(try store.records(StoredSubject.self, matching: .all).first)
    #expect(subject.email?.hasPrefix("enc1:") == true && subject.emailIndex != nil)
    #expect(try store.count(AuditRecord.self, matching: .all) > 0)
  }

  @Test func afterAnErasureOnlyTheTombstoneIsLeft() throws {
    let engine = try engine()
    let earlier = try adult(engine, device: "laptop-7")
    _ = try engine.send("you can keep my chats", to: earlier)
    _ = try engine.send("what do you keep?", to: earlier)
    _ = try verified("send me a copy of my data", in: earlier, engine: engine)
    try engine.closeSession(earlier)
    #expect(try store.count(TranscriptLine.self, matching: .all) > 0)

    let id = try engine.openSession(SessionOptions(country: "ZA", deviceId: "laptop-7")).sessionId
    let confirm = try verified("please delete my data", in: id, engine: engine)
    #expect(confirm.text.contains("cannot be undone"), "\(confirm.text)")
    let done = try engine.send("yes", to: id)
    #expect(done.intent == "request.erasure_done", "\(done.text)")

    #expect(try store.count(TranscriptLine.self, matching: .all) == 0)
    #expect(try store.count(SessionRecord.self, matching: .all.equal(.id, earlier)) == 0)
    #expect(try store.count(ConsentRecord.self, matching: .all.equal(.sessionId, earlier)) == 0)
    #expect(try store.count(SubjectLinkRecord.self, matching: .all) == 0)
    let subject = try #require(try store.records(StoredSubject.self, matching: .all).first)
    #expect(subject.email == nil && subject.emailIndex == nil && subject.erasedAt == TestEngine.start)
    let requests = try store.records(StoredRequest.self, matching: .all)
    #expect(requests.map(\.type) == ["erasure"] && requests.first?.sessionId == nil)
  }
}

/// A host's own record kind that is not flat is refused with an error, not kept in part
/// and not a crash.
@Suite struct InMemoryStoreRecordShapeTests {
  struct Tagged: StoredRecord {
    enum Field: String, CodingKey, CaseIterable, Hashable, Sendable { case id, tags }
    typealias CodingKeys = Field
    static let table = "tagged"
    static let key: [Field] = [.id]
    var id: String
    var tags: [String]
  }

  @Test func aRecordWithAListFieldIsRefusedNamingTheField() {
    let store = InMemorySessionStore()
    #expect {
      try store.save(Tagged(id: "a", tags: ["x"]))
    } throws: { error in
      "\(error)".contains("tags")
    }
  }
}
