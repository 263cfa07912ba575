import Foundation
import PolicyChat
import Testing

/// The SQLite file: migrated, in WAL mode, and holding metadata but never message text.
@Suite struct SessionStoreTests {
  private func temporaryDatabase() -> (folder: URL, path: String) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-db-\(UUID().uuidString)")
    return (folder, folder.appendingPathComponent("nested/policychat.sqlite").path)
  }

  @Test func aDatabaseFileIsCreatedMigratedAndKeepsTurnMetadata() throws {
    let (folder, path) = temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: folder) }
    let engine = try TestEngine.make(database: .file(path))
    let session = try engine.openSession().sessionId
    _ = try engine.send("How long do you keep my data?", to: session)
    try engine.closeSession(session)

    let store = try SQLiteSessionStore(location: .file(path))
    let turns = try store.turns(sessionId: session)
    #expect(turns.map(\.sequence) == [1, 2])
    #expect(turns.map(\.intent).first == "opening")
    #expect(turns[1].intent.hasPrefix("policy.retention"))
    #expect(turns[1].method == "retrieval")
    #expect(turns[1].at == TestEngine.start)
  }

  @Test func messageTextIsNeverWrittenToTheDatabase() throws {
    let (folder, path) = temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: folder) }
    let secret = "my id number is 8001015009087 and my email is thandi@example.org"
    do {
      let engine = try TestEngine.make(database: .file(path))
      let session = try engine.openSession().sessionId
      _ = try engine.send(secret, to: session)
      try engine.closeSession(session)
    }
    for suffix in ["", "-wal", "-shm"] {
      guard let data = FileManager.default.contents(atPath: path + suffix) else { continue }
      let bytes = String(decoding: data, as: UTF8.self)
      #expect(!bytes.contains("8001015009087"), "found in \(suffix)")
      #expect(!bytes.contains("thandi@example.org"), "found in \(suffix)")
    }
  }

  @Test func theFileIsInWALModeWithNamedMigrations() throws {
    let (folder, path) = temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = try SQLiteSessionStore(location: .file(path))
    let output = try sqlite(path, "PRAGMA journal_mode; SELECT identifier FROM grdb_migrations;")
    #expect(output.contains("wal"))
    #expect(output.contains("v1-sessions-and-turns"))
  }

  @Test func reopeningAnExistingDatabaseKeepsItsData() throws {
    let (folder, path) = temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = try TestEngine.make(seed: 1, database: .file(path))
    let session = try first.openSession().sessionId
    let second = try TestEngine.make(seed: 2, database: .file(path))
    _ = try second.openSession()
    #expect(try SQLiteSessionStore(location: .file(path)).turns(sessionId: session).count == 1)
  }

  @Test func theDefaultLocationFollowsTheEnvironment() throws {
    #expect(try DatabaseLocation.standard(environment: ["POLICYCHAT_DB": "/x/y.sqlite"]) == .file("/x/y.sqlite"))
    #expect(try DatabaseLocation.standard(environment: ["POLICYCHAT_DB": ":memory:"]) == .inMemory)
    #expect(
      try DatabaseLocation.standard(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/a"])
        == .file("/data/policychat/policychat.sqlite"))
    #expect(
      try DatabaseLocation.standard(environment: ["HOME": "/home/a"])
        == .file("/home/a/.local/share/policychat/policychat.sqlite"))
  }

  /// Reads the file with the sqlite3 command-line tool, as an administrator would.
  private func sqlite(_ path: String, _ sql: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sqlite3", path, sql]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  @Test func aNewDatabaseFileIsReadableByItsOwnerOnly() throws {
    let (folder, path) = temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: folder) }
    let engine = try TestEngine.make(database: .file(path))
    _ = try engine.openSession()
    let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)
    #expect(mode.intValue & 0o777 == 0o600)
  }
}
