import Foundation
import GRDB

/// Several store calls as one transaction: all of them are committed, or none.
extension SQLiteSessionStore {
  /// The transaction `atomically` has open, for the store calls made inside it, which must
  /// use its connection: GRDB's methods are not reentrant, and a reader of the pool would not
  /// see what the transaction has written so far.
  final class OpenTransaction: @unchecked Sendable {
    // Only used on the thread that runs the transaction, while it runs.
    let database: Database
    let store: ObjectIdentifier

    init(database: Database, store: ObjectIdentifier) {
      self.database = database
      self.store = store
    }
  }

  @TaskLocal static var openTransaction: OpenTransaction?

  /// The connection of this store's transaction in progress on this thread, if any.
  var transactionDatabase: Database? {
    guard let open = Self.openTransaction, open.store == ObjectIdentifier(self) else { return nil }
    return open.database
  }

  /// Runs `body`, whose store calls are committed together when it returns, or rolled back
  /// when it throws (or when the process dies first). Nested calls join the outer one.
  public func atomically<T>(_ body: () throws(EngineError) -> T) throws(EngineError) -> T {
    if transactionDatabase != nil { return try body() }
    var failure: EngineError?
    do {
      // A write transaction (BEGIN IMMEDIATE in GRDB 7) from the start: what `body` reads
      // cannot be changed by another process before it writes.
      return try writer.write { db in
        try Self.$openTransaction.withValue(OpenTransaction(database: db, store: ObjectIdentifier(self))) {
          do throws(EngineError) {
            return try body()
          } catch {
            failure = error
            throw error
          }
        }
      }
    } catch {
      if let failure { throw failure }
      throw .storage(reason: Self.describe(error))
    }
  }
}
