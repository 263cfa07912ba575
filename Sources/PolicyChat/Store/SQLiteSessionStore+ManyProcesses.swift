import Foundation
import GRDB

/// The workers of a web server each run `policychat serve` on the same file, and start
/// together: on a new file, each of them sets it up (WAL mode, the tables) at the same moment.
extension SQLiteSessionStore {
  /// Opens the pool, which turns a new file to WAL mode. That needs the file to itself: of
  /// workers asking at once, SQLite answers SQLITE_BUSY ("database is locked") at once to
  /// those that lose, without waiting out the busy timeout (waiting could deadlock). Once one
  /// has turned it, the mode stays and the others only read it, so trying again soon succeeds.
  static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
    let deadline = Date().addingTimeInterval(5)
    while true {
      do {
        return try DatabasePool(path: path, configuration: configuration)
      } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
        Thread.sleep(forTimeInterval: Double.random(in: 0.005...0.02))
      }
    }
  }

  /// Applies the migrations a file lacks. The workers of a web server may open a new file
  /// at the same moment: GRDB's migrator reads which migrations are applied before it opens
  /// the transaction of each, so two processes can both set out to run the same one, and the
  /// second then fails ("table ... already exists") once the first has committed. Each
  /// migration commits together with its entry in `grdb_migrations`, so reading again and
  /// retrying is safe; a file that is already up to date is not written at all.
  static func migrate(_ writer: any DatabaseWriter) throws {
    let migrator = Self.migrator
    var attempts = 0
    while true {
      do {
        if try writer.read(migrator.hasCompletedMigrations) { return }
        try migrator.migrate(writer)
        return
      } catch {
        attempts += 1
        if attempts >= 5 { throw error }
      }
    }
  }
}
