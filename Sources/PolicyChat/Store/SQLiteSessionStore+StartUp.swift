import Foundation
import GRDB

/// A database file that cannot be written is refused at start-up, with its path and the
/// cause in one line, rather than found at the first consent or request, which would then
/// fail while questions are answered as if all were well.
extension SQLiteSessionStore {
  /// Tries a write and rolls it back. A file that is already migrated is otherwise only
  /// read at start-up, and a read-only file still lets a transaction begin: creating a
  /// table is the first step that must write.
  static func probeWritable(_ writer: any DatabaseWriter) throws {
    do {
      try writer.writeWithoutTransaction { db in
        try db.inTransaction(.immediate) {
          try db.execute(sql: "CREATE TABLE write_probe (x)")
          return .rollback
        }
      }
    } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
      // Another process is writing: the file can be written, just not this second.
      return
    }
  }

  /// Why the database at `path` cannot be used: SQLite's code and message (never a bound
  /// value), and what that usually means.
  static func unusable(_ path: String, _ error: any Error) -> String {
    guard let error = error as? DatabaseError else {
      return "cannot use the database \(path): its folder cannot be created or read"
    }
    let hint =
      switch error.resultCode {
      case .SQLITE_READONLY: " (the file or its folder is read-only)"
      case .SQLITE_CANTOPEN: " (the file cannot be opened or created: check its folder's permissions)"
      case .SQLITE_FULL: " (the disk is full)"
      case .SQLITE_PERM, .SQLITE_AUTH: " (permission denied)"
      default: ""
      }
    return
      "cannot use the database \(path): SQLite error \(error.resultCode.rawValue): \(error.message ?? "unknown")\(hint)"
  }
}
