import Foundation
import PolicyChat
import PolicyChatPostgres
import Testing

/// Every ``SessionStore`` the library ships, as the conformance suite makes them. A store
/// of another database (PostgreSQL) joins by adding a case here: the tests below use the
/// protocol alone.
enum StoreUnderTest: String, CaseIterable, CustomTestStringConvertible, Sendable {
  case inMemory
  case sqliteInMemory
  case sqliteFile
  /// A schema of its own in the database `$POLICYCHAT_TEST_POSTGRES` names (CI starts one:
  /// .ci/postgres.sh); left out when it is not set.
  case postgres

  var testDescription: String { rawValue }

  static var allCases: [StoreUnderTest] {
    [.inMemory, .sqliteInMemory, .sqliteFile] + (PostgresTesting.url == nil ? [] : [.postgres])
  }

  func make() throws -> any SessionStore {
    switch self {
    case .inMemory: return InMemorySessionStore()
    case .sqliteInMemory: return try SQLiteSessionStore(location: .inMemory)
    case .sqliteFile:
      let folder = FileManager.default.temporaryDirectory.appendingPathComponent("conformance-\(UUID().uuidString)")
      return try SQLiteSessionStore(location: .file(folder.appendingPathComponent("store.sqlite").path))
    case .postgres:
      return try PostgresTesting.freshStore()
    }
  }

  /// Removes what ``make()`` made: the SQLite file's folder, the PostgreSQL schema.
  func discard(_ store: any SessionStore) {
    if let sqlite = store as? SQLiteSessionStore, case .file(let path) = sqlite.location {
      try? sqlite.closeDatabase()
      try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    } else if let postgres = store as? PostgresSessionStore {
      PostgresTesting.drop(postgres)
    }
  }
}

/// The behaviour the engine relies on from any store: records in and records out, each
/// query condition as SQL evaluates it, order and limit, counts, transactions that roll
/// back, and an audit log that cannot be changed.
@Suite struct StoreConformanceTests {
  private static let start = Date(timeIntervalSince1970: 1_796_000_000)
  private static func at(_ seconds: Int) -> Date { start.addingTimeInterval(Double(seconds)) }

  private static func challenge(
    _ id: String, reference: String = "RQ-AAAAAA", issued: Int = 0, status: String = "open"
  ) -> ChallengeRecord {
    ChallengeRecord(
      id: id, purpose: "identity", reference: reference, salt: "s", codeHash: "h", issuedAt: at(issued),
      expiresAt: at(issued + 600), attempts: 0, maxAttempts: 3, status: status)
  }

  private static func consent(_ purpose: String, granted: Bool, at seconds: Int, expires: Int? = nil) -> ConsentRecord {
    ConsentRecord(
      subject: "device:d1", sessionId: "s-1", purpose: purpose, granted: granted, at: at(seconds), method: "chat",
      policyVersion: "1", jurisdiction: "ZA", expiresAt: expires.map(at))
  }

  @Test(arguments: StoreUnderTest.allCases)
  func aSavedRecordIsReadBackByItsKeyAndASecondSaveReplacesIt(_ kind: StoreUnderTest) throws {
    let store = try kind.make()
    defer { kind.discard(store) }
    let session = SessionRecord(id: "s-1", openedAt: Self.at(0), country: "ZA", locale: "en-ZA")
    try store.save(session)
    #expect(try store.record(SessionRecord.self, key: "s-1") == session)
    var closed = session
    closed.closedAt = Self.at(60)
    closed.country = nil
    try store.save(closed)
    #expect(try store.records(SessionRecord.self, matching: .all) == [closed])
    #expect(try store.record(SessionRecord.self, key: "s-2") == nil)
  }

  @Test(arguments: StoreUnderTest.allCases)
  func aKeyOfSeveralFieldsFindsOneRecordAndAnInsertOfTheSameKeyIsRefused(_ kind: StoreUnderTest) throws {
    let store = try kind.make()
    defer { kind.discard(store) }
    try store.save(SessionRecord(id: "s-1", openedAt: Self.at(0)))
    let turn = TurnRecord(
      sessionId: "s-1", sequence: 2, at: Self.at(5), intent: "policy.retention", confidence: 0.75, method: "retrieval",
      sources: "retention,cookies")
    try store.insert(
      TurnRecord(
        sessionId: "s-1", sequence: 1, at: Self.at(0), intent: "opening", confidence: 1, method: "rule", sources: ""))
    try store.insert(turn)
    #expect(try store.record(TurnRecord.self, key: "s-1", 2) == turn)
    #expect(throws: EngineError.self) { try store.insert(turn) }
    try store.save(SubjectLinkRecord(subjectId: "ds-1", key: "device:d1"))
    try store.save(SubjectLinkRecord(subjectId: "ds-1", key: "device:d1"))
    #expect(try store.count(SubjectLinkRecord.self, matching: .all) == 1)
  }

  @Test(arguments: StoreUnderTest.allCases)
  func everyKindOfFieldComesBackAsItWasWritten(_ kind: StoreUnderTest) throws {
    let store = try kind.make()
    defer { kind.discard(store) }
    let setting = SettingRecord(key: "k", value: Data([0, 1, 2, 255]))
    let subject = StoredSubject(
      id: "ds-1", email: "enc1:x:y", emailIndex: "ab", createdAt: Self.at(1), restricted: true, erasedAt: nil)
    let consent = Self.consent("analytics", granted: true, at: 3, expires: 86_400)
    try store.save(setting)
    try store.save(subject)
    try store.insert(consent)
    #expect(try store.record(SettingRecord.self, key: "k") == setting)
    #expect(try store.record(StoredSubject.self, key: "ds-1") == subject)
    #expect(try store.records(ConsentRecord.self, matching: .all) == [consent])
  }

  @Test(arguments: StoreUnderTest.allCases)
  func eachConditionSelectsWhatSQLWould(_ kind: StoreUnderTest) throws {
    let store = try kind.make()
    defer { kind.discard(store) }
    for (index, status) in ["open", "used", "locked", "open"].enumerated() {
      try store.save(Self.challenge("c\(index)", reference: "RQ-\(index)", issued: index * 10, status: status))
    }
    func ids(_ query: RecordQuery<ChallengeRecord>) throws -> [String] {
      try store.records(ChallengeRecord.self, matching: query).map(\.id)
    }
    #expect(try ids(.all.equal(.status, "open")) == ["c0", "c3"])
    #expect(try ids(.all.notEqual(.status, "open")) == ["c1", "c2"])
    #expect(try ids(.all.among(.reference, ["RQ-1", "RQ-3", "RQ-9"])) == ["c1", "c3"])
    #expect(try ids(.all.among(.reference, [String]())) == [])
    #expect(try ids(.all.before(.issuedAt, Self.at(10))) == ["c0"])
    #expect(try ids(.all.notAfter(.issuedAt, Self.at(10))) == ["c0", "c1"])
    #expect(try ids(.all.after(.issuedAt, Self.at(20))) == ["c3"])
    #expect(try ids(.all.notBefore(.issuedAt, Self.at(20))) == ["c2", "c3"])
    #expect(try ids(.all.equal(.status, "open").after(.issuedAt, Self.at(0))) == ["c3"])
    #expect(try ids(.all.equal(.attempts, 0).equal(.maxAttempts, 3)).count == 4)

    try store.save(DeletionRecord(at: Self.at(0), reference: nil, reason: "purge", detail: "1 turns"))
    try store.save(DeletionRecord(at: Self.at(1), reference: "RQ-1", reason: "erasure", detail: "9 records"))
    #expect(try store.records(DeletionRecord.self, matching: .all.isNil(.reference)).map(\.reason) == ["purge"])
    #expect(try store.records(DeletionRecord.self, matching: .all.isNotNil(.reference)).map(\.reason) == ["erasure"])
    // A null field is neither equal nor unequal to a value, nor before or after one.
    #expect(try store.count(DeletionRecord.self, matching: .all.notEqual(.reference, "RQ-9")) == 1)
    #expect(try store.count(DeletionRecord.self, matching: .all.equal(.reference, "RQ-1")) == 1)
    #expect(
      try store.records(DeletionRecord.self, matching: .all.lacksPrefix(.reason, "era")).map(\.reason) == ["purge"])
    #expect(try store.count(DeletionRecord.self, matching: .all.lacksPrefix(.reference, "XX")) == 1)
    #expect(try store.count(DeletionRecord.self, matching: .all.lacksPrefix(.reason, "")) == 0)
  }

  @Test(arguments: StoreUnderTest.allCases)
  func recordsComeInTheQuerysOrderThenInTheOrderWrittenAndAreLimited(_ kind: StoreUnderTest) throws {
    let store = try kind.make()
    defer { kind.discard(store) }
    try store.insert(Self.consent("analytics", granted: true, at: 5))
    try store.insert(Self.consent("marketing", granted: true, at: 0))
    try store.insert(Self.consent("analytics", granted: false, at: 5))
    try store.insert(Self.consent("logging", granted: true, at: 9))
    func purposes(_ query: RecordQuery<ConsentRecord>) throws -> [String] {
      try store.records(ConsentRecord.self, matching: query).map { "\($0.purpose)-\($0.granted)" }
    }
    #expect(
      try purposes(.all) == ["analytics-true", "marketing-true", "analytics-false", "logging-true"])
    #expect(
      try purposes(.all.ordered(by: .at)) == ["marketing-true", "analytics-true", "analytics-false", "logging-true"])
    #expect(
      try purposes(.all.ordered(by: .at, descending: true).orderedByWriting(descending: true))
        == ["logging-true", "analytics-false", "analytics-true", "marketing-true"])
    #expect(
      try purposes(.all.ordered(by: .purpose).ordered(by: .granted).limited(to: 2)) == [
        "analytics-false", "analytics-true",
      ])
    #expect(
      try purposes(.all.equal(.purpose, "analytics").orderedByWriting(descending: true).limited(to: 1)) == [
        "analytics-false"
      ])
    #expect(try store.first(ConsentRecord.self, matching: .all.equal(.purpose, "none")) == nil)
  }

  @Test(arguments: StoreUnderTest.allCases)
  func aDeleteSaysHowManyItDeletedAndACountHowManyThereAre(_ kind: StoreUnderTest) throws {
    let store = try kind.make()
    defer { kind.discard(store) }
    for index in 0..<5 {
      try store.insert(BudgetSpendRecord(key: index < 3 ? "mailbox:a" : "device:b", at: Self.at(index)))
    }
    #expect(try store.count(BudgetSpendRecord.self, matching: .all) == 5)
    #expect(try store.count(BudgetSpendRecord.self, matching: .all.equal(.key, "mailbox:a").limited(to: 1)) == 3)
    #expect(
      try store.delete(BudgetSpendRecord.self, matching: .all.equal(.key, "mailbox:a").before(.at, Self.at(2))) == 2)
    #expect(try store.delete(BudgetSpendRecord.self, matching: .all.equal(.key, "none")) == 0)
    #expect(
      try store.records(BudgetSpendRecord.self, matching: .all).map(\.at) == [Self.at(2), Self.at(3), Self.at(4)])
  }

  @Test(arguments: StoreUnderTest.allCases)
  func aTransactionThatThrowsLeavesNothingOfWhatItWrote(_ kind: StoreUnderTest) throws {
    let store = try kind.make()
    defer { kind.discard(store) }
    try store.save(Self.challenge("c0"))
    #expect(throws: EngineError.self) {
      try store.atomically { () throws(EngineError) in
        try store.save(Self.challenge("c1"))
        // A nested transaction joins the outer one: it is rolled back with it.
        try store.atomically { () throws(EngineError) in
          _ = try store.delete(ChallengeRecord.self, matching: .all.equal(.id, "c0"))
        }
        #expect(try store.count(ChallengeRecord.self, matching: .all) == 1)
        throw EngineError.storage(reason: "on purpose")
      }
    }
    #expect(try store.records(ChallengeRecord.self, matching: .all).map(\.id) == ["c0"])
    let kept = try store.atomically { () throws(EngineError) -> Int in
      try store.save(Self.challenge("c1"))
      return try store.count(ChallengeRecord.self, matching: .all)
    }
    #expect(kept == 2)
    #expect(try store.count(ChallengeRecord.self, matching: .all) == 2)
  }

  @Test(arguments: StoreUnderTest.allCases)
  func anUpdateSetsFieldsOfWhatItsQuerySelectsAndSaysHowMany(_ kind: StoreUnderTest) throws {
    let store = try kind.make()
    defer { kind.discard(store) }
    try store.insert(SessionRecord(id: "s-1", openedAt: Self.at(0), country: "ZA"))
    try store.insert(SessionRecord(id: "s-2", openedAt: Self.at(1), country: "DE"))
    let closed = try store.update(
      SessionRecord.self, matching: RecordQuery<SessionRecord>.all.equal(.id, "s-1"),
      set: [.closedAt: .date(Self.at(5)), .country: .null])
    #expect(closed == 1)
    #expect(
      try store.record(SessionRecord.self, key: "s-1")
        == SessionRecord(id: "s-1", openedAt: Self.at(0), closedAt: Self.at(5)))
    #expect(try store.record(SessionRecord.self, key: "s-2")?.closedAt == nil)
    #expect(
      try store.update(
        SessionRecord.self, matching: RecordQuery<SessionRecord>.all.equal(.id, "s-9"),
        set: [.closedAt: .date(Self.at(6))]) == 0)
    // A Bool field takes an integer, as SQL holds it.
    try store.insert(Self.consent("analytics", granted: true, at: 0))
    _ = try store.update(ConsentRecord.self, matching: .all, set: [.granted: .integer(0)])
    #expect(try store.records(ConsentRecord.self, matching: .all).map(\.granted) == [false])
    let entry = AuditRecord(at: Self.at(0), actor: "engine", action: "received", reference: "RQ-1", detail: "access")
    try store.insert(entry)
    #expect(throws: EngineError.self) {
      _ = try store.update(AuditRecord.self, matching: .all, set: [.detail: .text("changed")])
    }
    #expect(try store.records(AuditRecord.self, matching: .all) == [entry])
  }

  @Test(arguments: StoreUnderTest.allCases)
  func theAuditLogIsOnlyEverAppendedTo(_ kind: StoreUnderTest) throws {
    let store = try kind.make()
    defer { kind.discard(store) }
    let entry = AuditRecord(at: Self.at(0), actor: "engine", action: "received", reference: "RQ-1", detail: "access")
    try store.insert(entry)
    try store.save(entry)
    #expect(throws: EngineError.self) { _ = try store.delete(AuditRecord.self, matching: .all) }
    #expect(try store.records(AuditRecord.self, matching: .all) == [entry, entry])
  }

  @Test(arguments: StoreUnderTest.allCases)
  func deletedSpaceCanBeReclaimedAndTheStoreClosed(_ kind: StoreUnderTest) throws {
    let store = try kind.make()
    defer { kind.discard(store) }
    try store.insert(
      TranscriptLine(sessionId: "s-1", subject: "device:d1", sequence: 1, at: Self.at(0), speaker: "person", text: "x"))
    #expect(try store.delete(TranscriptLine.self, matching: .all.equal(.subject, "device:d1")) == 1)
    try store.reclaimDeletedSpace()
    try store.closeDatabase()
  }
}
