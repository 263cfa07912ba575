import Foundation
import PolicyChat
import PostgresNIO

/// The records of the engine in a PostgreSQL database, shared by every `policychat`
/// process that names it: the store of a deployment on several machines
/// (docs/DEPLOYMENT.md). The same records and rules as ``SQLiteSessionStore``; nothing is
/// written to a local file.
///
/// Concurrency: every ``atomically(_:)`` transaction takes one advisory lock of the schema
/// first, so transactions run one at a time across all machines, as SQLite's
/// `BEGIN IMMEDIATE` makes them on one: what a transaction reads (the device's answer, a
/// code budget's spends) cannot change before it writes. Its body is the engine's code and
/// is not run twice, so it is not left to SERIALIZABLE's retries. A statement outside a
/// transaction stands alone (READ COMMITTED), and is tried again on a serialization
/// failure or a deadlock, which roll it back whole.
public final class PostgresSessionStore: SessionStore {
  public let address: PostgresAddress
  let pool: PostgresPool
  /// The key of the advisory locks of this schema (migrations, write transactions).
  let lockKey: Int64

  /// Connects (at most `poolSize` connections at once) and migrates. The password is the
  /// URL's, else `$PGPASSWORD`, else `.pgpass`'s (``PostgresAddress/password(environment:)``).
  public init(
    address: PostgresAddress, poolSize: Int = 4, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(EngineError) {
    self.address = address
    pool = PostgresPool(address: address, password: address.password(environment: environment), size: poolSize)
    lockKey = Self.lockKey(address.schema ?? "public")
    do {
      try migrate()
    } catch {
      pool.close()
      throw .storage(reason: "cannot use the database \(address): \(describe(error))")
    }
  }

  /// A stable 64-bit key from the schema's name (FNV-1a): the same on every machine.
  private static func lockKey(_ schema: String) -> Int64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in ("policychat:" + schema).utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    return Int64(bitPattern: hash)
  }

  private func migrate() throws {
    try pool.with { connection in
      _ = try pool.run("SELECT pg_advisory_lock($1)", Self.binds(.integer(lockKey)), on: connection)
      defer { _ = try? pool.run("SELECT pg_advisory_unlock($1)", Self.binds(.integer(lockKey)), on: connection) }
      if let schema = address.schema {
        _ = try pool.run("CREATE SCHEMA IF NOT EXISTS \"\(schema)\"", PostgresBindings(), on: connection)
      }
      _ = try pool.run(
        "CREATE TABLE IF NOT EXISTS \"policychat_migration\" (\"id\" text PRIMARY KEY, \"appliedAt\" timestamptz NOT NULL)",
        PostgresBindings(), on: connection)
      let applied = try Set(
        pool.run("SELECT \"id\" FROM \"policychat_migration\"", PostgresBindings(), on: connection).rows.map {
          try $0.decode(String.self)
        })
      for migration in PostgresSchema.migrations where !applied.contains(migration.id) {
        _ = try pool.run("BEGIN", PostgresBindings(), on: connection)
        do {
          for statement in migration.statements {
            _ = try pool.run(statement, PostgresBindings(), on: connection)
          }
          _ = try pool.run(
            "INSERT INTO \"policychat_migration\" (\"id\", \"appliedAt\") VALUES ($1, now())",
            Self.binds(.text(migration.id)), on: connection)
          _ = try pool.run("COMMIT", PostgresBindings(), on: connection)
        } catch {
          _ = try? pool.run("ROLLBACK", PostgresBindings(), on: connection)
          throw error
        }
      }
    }
  }

  /// Dead rows are made reusable space (VACUUM). PostgreSQL has no secure delete: the bytes
  /// of a deleted row stay in the data files and the WAL until overwritten, which is why
  /// contact details are sealed before any store sees them (docs/DEPLOYMENT.md).
  public func reclaimDeletedSpace() throws(EngineError) {
    try standalone { connection in
      for table in PostgresSchema.tables {
        _ = try pool.run("VACUUM \"\(table)\"", PostgresBindings(), on: connection)
      }
    }
  }

  /// Removes the store's own schema with every record in it, and closes the store: for a
  /// throwaway schema (a replayed transcript's, a test's). A store without a schema of its
  /// own (`public`) is refused, so that a deployment's records cannot go this way.
  public func dropSchema() throws(EngineError) {
    guard let schema = address.schema else {
      throw .storage(reason: "only a store with a schema of its own (?schema=NAME) may be dropped")
    }
    try standalone { connection in
      _ = try pool.run("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE", PostgresBindings(), on: connection)
    }
    pool.close()
  }

  public func closeDatabase() throws(EngineError) {
    pool.close()
  }
}
