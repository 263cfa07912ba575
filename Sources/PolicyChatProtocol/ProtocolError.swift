import PolicyChat

/// Everything a request can fail with, each with its JSON-RPC code and a machine-readable
/// reason. Messages name fields and limits, never what the person typed.
public enum ProtocolError: Error, Sendable, Equatable {
  /// The line is not JSON.
  case parseError
  /// The line is not valid UTF-8.
  case invalidUTF8
  /// JSON, but not a request object.
  case invalidRequest(String)
  case methodNotFound(String)
  /// A parameter is missing or of the wrong type.
  case invalidParams(field: String, message: String)
  /// The session is unknown, or closed.
  case unknownSession
  /// The line was longer than the server reads; it was skipped.
  case lineTooLong(limit: Int)
  /// The database could not be written.
  case storage
  /// A fault of the server's own.
  case internalError

  public var code: Int {
    switch self {
    case .parseError, .invalidUTF8: -32700
    case .invalidRequest: -32600
    case .methodNotFound: -32601
    case .invalidParams: -32602
    case .internalError: -32603
    case .unknownSession: -32001
    case .lineTooLong: -32002
    case .storage: -32003
    }
  }

  public var reason: String {
    switch self {
    case .parseError: "invalid_json"
    case .invalidUTF8: "invalid_utf8"
    case .invalidRequest: "invalid_request"
    case .methodNotFound: "unknown_method"
    case .invalidParams: "invalid_params"
    case .internalError: "internal"
    case .unknownSession: "unknown_session"
    case .lineTooLong: "line_too_long"
    case .storage: "storage"
    }
  }

  public var message: String {
    switch self {
    case .parseError: "Parse error: the line is not valid JSON"
    case .invalidUTF8: "Parse error: the line is not valid UTF-8"
    case .invalidRequest(let why): "Invalid request: \(why)"
    case .methodNotFound(let method):
      // Named only when it looks like a method name: the field could hold anything.
      method.count <= 40 && method.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "." || $0 == "_") })
        ? "Method not found: \(method)" : "Method not found"
    case .invalidParams(let field, let message): "Invalid params: \(field) \(message)"
    case .internalError: "Internal error"
    case .unknownSession: "Unknown or closed session"
    case .lineTooLong(let limit): "Line too long: the limit is \(limit) bytes; the line was skipped"
    // Said plainly, so that a front end can pass it on: the step (a consent, a request)
    // did not happen; questions are still answered.
    case .storage: "Storage error: the database could not be written, so this was not recorded"
    }
  }

  /// The field at fault, for invalid params.
  var field: String? {
    if case .invalidParams(let field, _) = self { return field }
    return nil
  }

  init(_ error: EngineError) {
    switch error {
    case .unknownSession: self = .unknownSession
    case .storage: self = .storage
    case .invalidData: self = .internalError
    case .invalidInput(let field, let reason): self = .invalidParams(field: field, message: "must be \(reason)")
    }
  }
}
