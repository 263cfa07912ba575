import PolicyChat

extension Engine {
  /// Closes the engine's store at the end of a command, so that the database's write-ahead
  /// log is checkpointed and truncated or removed: a deinitializer does not run when the
  /// process exits. A failure is one warning line (SQLite's reason, never personal data).
  func shutDown() {
    do {
      try close()
    } catch {
      StandardError.write("policychat: warning: \(error.description)")
    }
  }
}
