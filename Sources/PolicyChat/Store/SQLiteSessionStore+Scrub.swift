import Foundation
import GRDB

/// Deleted data must not stay readable in the files. `secure_delete` zeroes a deleted row in
/// its page and every page that falls free, but in WAL mode the page images written before
/// the deletion stay in the `-wal` file, frame after frame, until the log is reset: the text
/// an erasure deleted could still be read there, even after the process had exited.
extension SQLiteSessionStore {
  /// How long a connection waits for another that holds a lock (set on every connection).
  static let busyTimeout: TimeInterval = 5

  /// Copies every frame of the write-ahead log into the database file, where `secure_delete`
  /// has already zeroed what was deleted, and truncates the log to nothing.
  ///
  /// A checkpoint cannot run inside a transaction, so inside ``atomically(_:)`` this throws:
  /// call it once the transaction has committed.
  public func reclaimDeletedSpace() throws(EngineError) {
    guard transactionDatabase == nil else {
      throw .storage(reason: "the space of deleted records cannot be reclaimed inside a transaction")
    }
    do {
      try Self.truncateLog(writer)
    } catch {
      throw .storage(reason: Self.describeCheckpoint(error))
    }
  }

  /// Truncates the log, then closes every connection. SQLite removes the `-wal` and `-shm`
  /// files when the last connection to the file closes, unless another process still has it
  /// open; the log is empty either way, unless a reader of another process kept it from
  /// being truncated (then it is cleared at the next erasure or by the last process to exit).
  public func closeDatabase() throws(EngineError) {
    let first = closed.withLock { closed in
      defer { closed = true }
      return !closed
    }
    guard first else { return }
    var failure: EngineError?
    do {
      try Self.truncateLog(writer)
    } catch let error as DatabaseError where Self.isBusy(error) {
      // Not worth a warning at every exit while another process uses the file: that process
      // truncates the log when it closes last, and a deletion whose own truncation failed
      // has warned already.
    } catch {
      failure = .storage(reason: Self.describeCheckpoint(error))
    }
    let path = writer.path
    do {
      try writer.close()
    } catch {
      throw .storage(reason: Self.describe(error))
    }
    // The pool closes its writer first, so the last of its connections to close is a
    // read-only reader, which leaves the log in place. A read-write connection of its own,
    // opened and closed last, lets SQLite remove it (when no other process has the file open).
    if writer is DatabasePool { try? DatabaseQueue(path: path).close() }
    if let failure { throw failure }
  }

  /// `PRAGMA wal_checkpoint(TRUNCATE)`, retried within the busy timeout. It waits (through
  /// the busy handler) for readers of the pool and of other processes to finish what they
  /// are reading, but answers SQLITE_BUSY at once while another process checkpoints.
  static func truncateLog(_ writer: any DatabaseWriter) throws {
    // An in-memory database has no log.
    guard writer is DatabasePool else { return }
    let deadline = Date().addingTimeInterval(busyTimeout)
    while true {
      do {
        // The barrier waits for this process's reads to end, so that none of them holds an
        // old snapshot that would keep the log from being reset.
        try writer.barrierWriteWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        return
      } catch let error as DatabaseError where isBusy(error) && Date() < deadline {
        Thread.sleep(forTimeInterval: 0.05)
      }
    }
  }

  /// Why the log could not be truncated, for the operator: never a bound value.
  private static func describeCheckpoint(_ error: any Error) -> String {
    if let error = error as? DatabaseError, isBusy(error) {
      return
        "the write-ahead log could not be truncated: another connection is still using the database "
        + "(it is truncated at the next deletion, or when the last process using the file exits)"
    }
    return describe(error)
  }

  /// Another connection holds a lock or an old snapshot: a matter of waiting, not a fault.
  private static func isBusy(_ error: DatabaseError) -> Bool {
    error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
  }
}
