import Foundation
import GRDB
import Synchronization

/// The SQLite implementation of ``SessionStore``: a file in WAL mode (through a GRDB
/// `DatabasePool`) or an in-memory database, migrated on open. Each record kind is a GRDB
/// record (SQLiteSessionStore+Records) over the table of the same name.
public final class SQLiteSessionStore: SessionStore {
  let writer: any DatabaseWriter
  /// Where the database is: a file's key file, when no key is given, lies beside it.
  public let location: DatabaseLocation
  /// Set by ``closeDatabase()``: a second close (a signal arriving while the end of input
  /// is being handled) does nothing.
  let closed = Mutex(false)

  public init(location: DatabaseLocation) throws(EngineError) {
    self.location = location
    do {
      switch location {
      case .inMemory:
        writer = try DatabaseQueue()
      case .postgres(let address):
        throw EngineError.storage(
          reason:
            "\(address) is a PostgreSQL database: open it with PolicyChatPostgres's PostgresSessionStore and pass that to Engine(configuration:store:)"
        )
      case .file(let path):
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        // What is deleted or re-encrypted is overwritten, not left in free pages where a
        // copy of the file would still show it (erasures, rotations of the data key).
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA secure_delete = ON") }
        // The file holds consents, requests and children's status: its owner alone may read
        // it. Created empty with mode 0600 first, so that SQLite never makes it readable; the
        // WAL and shared-memory files SQLite adds take the main file's mode. O_CREAT without
        // O_TRUNC leaves a file that exists as it is: the workers of a web server start
        // together on a new file, and FileManager.createFile, which writes a new file and
        // renames it over the path, replaced the file another worker had begun to use (its
        // writes went to the replaced file, and the shared WAL no longer matched: "malformed").
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        if descriptor >= 0 { close(descriptor) }
        writer = try Self.openPool(path: path, configuration: configuration)
      }
      try Self.migrate(writer)
      if case .file = location { try Self.probeWritable(writer) }
    } catch {
      // At start-up the operator needs the file and the cause (SQLiteSessionStore+StartUp).
      if case .file(let path) = location { throw .storage(reason: Self.unusable(path, error)) }
      throw .storage(reason: Self.describe(error))
    }
  }

  /// Named migrations, applied in order and recorded by GRDB in `grdb_migrations`.
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1-sessions-and-turns") { db in
      try db.create(table: "session") { t in
        t.primaryKey("id", .text)
        t.column("openedAt", .datetime).notNull()
        t.column("closedAt", .datetime)
        t.column("country", .text)
        t.column("locale", .text)
      }
      try db.create(table: "turn") { t in
        t.autoIncrementedPrimaryKey("id")
        t.belongsTo("session", onDelete: .cascade).notNull()
        t.column("sequence", .integer).notNull()
        t.column("at", .datetime).notNull()
        t.column("intent", .text).notNull()
        t.column("confidence", .double).notNull()
        t.column("method", .text).notNull()
        t.column("sources", .text).notNull()
        t.uniqueKey(["sessionId", "sequence"])
      }
    }
    registerGateMigration(&migrator)
    registerConsentMigration(&migrator)
    registerRequestMigration(&migrator)
    registerContactEncryptionMigration(&migrator)
    registerBudgetMigration(&migrator)
    return migrator
  }

  func write(_ updates: (Database) throws -> Void) throws(EngineError) {
    do {
      // Inside `atomically`, part of its transaction (SQLiteSessionStore+Transactions).
      if let db = transactionDatabase { return try updates(db) }
      try writer.write(updates)
    } catch {
      throw .storage(reason: Self.describe(error))
    }
  }

  func writeReturning<T>(_ updates: (Database) throws -> T) throws(EngineError) -> T {
    do {
      if let db = transactionDatabase { return try updates(db) }
      return try writer.write(updates)
    } catch {
      throw .storage(reason: Self.describe(error))
    }
  }

  func read<T>(_ value: (Database) throws -> T) throws(EngineError) -> T {
    do {
      // Inside `atomically`, its own connection, which sees what it has written so far.
      if let db = transactionDatabase { return try value(db) }
      // A queue's `read` sets and resets `PRAGMA query_only`, which expires every prepared
      // statement of its one connection, the cached ones of each turn included. A queue
      // serialises everything anyway; the pool's readers have connections of their own.
      if let queue = writer as? DatabaseQueue { return try queue.unsafeRead(value) }
      return try writer.read(value)
    } catch {
      throw .storage(reason: Self.describe(error))
    }
  }

  /// SQLite's own message without the statement's bound values, which could hold
  /// personal data. An engine error (say, from opening a sealed value) keeps its reason.
  static func describe(_ error: any Error) -> String {
    if case .storage(let reason) = error as? EngineError { return reason }
    if let error = error as? DatabaseError {
      return "SQLite error \(error.resultCode.rawValue): \(error.message ?? "unknown")"
    }
    return String(describing: type(of: error))
  }
}
