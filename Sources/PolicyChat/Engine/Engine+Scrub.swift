import Foundation

/// Erasure reaches the disk: after personal data is deleted, the store overwrites what the
/// deletion left behind in its files, and at shutdown it leaves no log of old pages.
extension Engine {
  /// Called after each committed deletion of personal data (an erasure, a child's data, the
  /// kept chat text, a cancelled request's subject, a purge), outside its transaction.
  ///
  /// The deletion itself has happened and is recorded, so a failure here does not fail the
  /// person's turn: the operator is warned, and the next deletion or the store's ``close()``
  /// clears what is left.
  func reclaimDeletedSpace() {
    keepIfPossible("the clearing of deleted data from the database's write-ahead log") {
      () throws(EngineError) in
      try store.reclaimDeletedSpace()
    }
  }

  /// Closes the store: its write-ahead log is checkpointed into the database file, where
  /// deleted data is already overwritten, and truncated or removed.
  ///
  /// Call it when the host shuts down, after the last turn; a deinitializer does not run
  /// when a process exits. No call on the engine may follow.
  public func close() throws(EngineError) {
    try store.closeDatabase()
  }
}
