/// What can go wrong in the engine.
///
/// Each case has a stable ``code`` for programs and a ``description`` for people. Neither
/// ever contains what the person typed: only file names, ids and reasons.
public enum EngineError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A knowledge or intent file could not be read or understood.
  case invalidData(file: String, line: Int?, reason: String)
  /// The session id is not one of this engine's open sessions.
  case unknownSession
  /// The database could not be opened, migrated or written.
  case storage(reason: String)
  /// A structured step (``GateAction``) got a value it cannot use; `reason` says what it
  /// takes, never what was given.
  case invalidInput(field: String, reason: String)

  public var code: String {
    switch self {
    case .invalidData: "invalid_data"
    case .unknownSession: "unknown_session"
    case .storage: "storage"
    case .invalidInput: "invalid_input"
    }
  }

  public var description: String {
    switch self {
    case .invalidData(let file, let line, let reason):
      if let line { "\(file):\(line): \(reason)" } else { "\(file): \(reason)" }
    case .unknownSession:
      "unknown or closed session"
    case .storage(let reason):
      "storage error: \(reason)"
    case .invalidInput(let field, let reason):
      "invalid \(field): expected \(reason)"
    }
  }
}
