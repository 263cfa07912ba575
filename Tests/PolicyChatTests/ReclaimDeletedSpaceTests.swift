import Foundation
import GRDB
import PolicyChat
import Testing

/// `reclaimDeletedSpace()` and `closeDatabase()` of the SQLite store: what was deleted is in
/// none of the database's files afterwards, whether it had reached the database file or was
/// still only in the write-ahead log.
@Suite struct ReclaimDeletedSpaceTests {
  static let secret = "zebra-quartz-4471"

  private func folder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-scrub-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// The names of the files in `folder` whose raw bytes hold `text`.
  private func filesHolding(_ text: String, in folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().filter { name in
      try Data(contentsOf: folder.appendingPathComponent(name)).range(of: Data(text.utf8)) != nil
    }
  }

  private func keep(_ text: String, sequence: Int, in store: SQLiteSessionStore) throws {
    try store.insert(
      TranscriptLine(
        sessionId: "s-1", subject: "device:d1", sequence: sequence, at: TestEngine.start, speaker: "person", text: text)
    )
  }

  @Test func deletedChatTextIsInNoFileAfterTheSpaceIsReclaimed() throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("db.sqlite").path
    let store = try SQLiteSessionStore(location: .file(path))
    try keep("my passphrase is \(Self.secret)", sequence: 1, in: store)
    // Into the database file as well as the log: both copies must go.
    try DatabaseQueue(path: path).writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
    try keep("and again \(Self.secret)", sequence: 2, in: store)
    #expect(try filesHolding(Self.secret, in: folder) == ["db.sqlite", "db.sqlite-wal"])

    #expect(try store.delete(TranscriptLine.self, matching: .all.equal(.subject, "device:d1")) == 2)
    // secure_delete zeroed the rows in the new page images, but the old ones stay in the log,
    // and the database file keeps its copy until the log is checkpointed.
    #expect(try filesHolding(Self.secret, in: folder) == ["db.sqlite", "db.sqlite-wal"])
    try store.reclaimDeletedSpace()
    #expect(try filesHolding(Self.secret, in: folder) == [])
    let log = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int
    #expect(log == 0)
    // The store goes on working after a reclaim.
    try keep("a later line", sequence: 3, in: store)
    #expect(try store.count(TranscriptLine.self, matching: .all.equal(.subject, "device:d1")) == 1)
  }

  @Test func closingTheStoreRemovesTheLog() throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("db.sqlite").path
    let store = try SQLiteSessionStore(location: .file(path))
    try keep("my passphrase is \(Self.secret)", sequence: 1, in: store)
    _ = try store.delete(TranscriptLine.self, matching: .all.equal(.subject, "device:d1"))
    try store.closeDatabase()
    #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    #expect(!FileManager.default.fileExists(atPath: path + "-shm"))
    #expect(try filesHolding(Self.secret, in: folder) == [])
    // Closed means closed: a later call fails with a storage error rather than crashing.
    #expect(throws: EngineError.self) {
      try store.count(TranscriptLine.self, matching: .all.equal(.subject, "device:d1"))
    }
  }

  @Test func insideATransactionTheSpaceIsNotReclaimedButTheCallFailsCleanly() throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try SQLiteSessionStore(location: .file(folder.appendingPathComponent("db.sqlite").path))
    let error = #expect(throws: EngineError.self) {
      try store.atomically { () throws(EngineError) in try store.reclaimDeletedSpace() }
    }
    #expect(error?.code == "storage")
  }

  @Test func anInMemoryStoreHasNothingToReclaim() throws {
    let store = try SQLiteSessionStore(location: .inMemory)
    try store.reclaimDeletedSpace()
    try store.closeDatabase()
  }

  @Test func anErasureThroughTheEngineLeavesTheChatTextInNoFile() throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("db.sqlite").path
    let engine = try TestEngine.make(database: .file(path))
    let session = try engine.openSession(SessionOptions(country: "ZA", deviceId: "tab-scrub")).sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: session)
    _ = try engine.perform(.setConsent(purpose: "session_logging", granted: true), in: session)
    _ = try engine.send("my passphrase is \(Self.secret)", to: session)
    #expect(try filesHolding(Self.secret, in: folder) == ["db.sqlite-wal"])
    _ = try engine.perform(.startRequest(type: "erasure"), in: session)
    let sent = try engine.perform(.requestAnswer(field: "email", value: "zebra@example.org"), in: session)
    let code = try #require(sent.events.first { $0.type == "verification.send" }?.data["code"])
    _ = try engine.perform(.requestAnswer(field: "code", value: code), in: session)
    let done = try engine.perform(.requestAnswer(field: "confirm", value: "true"), in: session)
    #expect(done.intent == "request.erasure_done", "\(done.text)")
    #expect(try filesHolding(Self.secret, in: folder) == [])
    try engine.close()
    #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
  }
}
