import Foundation
import PolicyChat
import Synchronization

/// JSON-RPC 2.0 over lines, dispatched onto an ``Engine``: one line in, at most one line out.
///
/// It holds no logic of the assistant: every method is a call on the engine. It does no
/// I/O either; the executable reads and writes the lines.
public final class ProtocolServer: Sendable {
  public static let protocolVersion = "1"
  public static let serverName = "policychat"

  let engine: Engine
  let serverVersion: String
  /// Sessions opened through this server, closed when it shuts down.
  private let openSessions = Mutex<Set<String>>([])
  private let encoder = ResponseEncoder()

  public init(engine: Engine, serverVersion: String) {
    self.engine = engine
    self.serverVersion = serverVersion
  }

  /// Every method, for `initialize` and the documentation (``MethodRegistry``).
  public static let methods = MethodRegistry.names

  /// Methods that state a verification done outside the conversation: only the host may
  /// call them, never a browser on the person's behalf (docs/EMBEDDING.md says how a host
  /// keeps them away from its pages). The engine also refuses them in the session, or on
  /// the device, of the person they would verify.
  public static let hostOnlyMethods = MethodRegistry.hostOnlyNames

  /// The response to one line, or nil for a notification (a request without an id) and
  /// for a blank line, which front ends may send to keep a pipe alive.
  public func handle(line: [UInt8]) -> String? {
    respond(to: prepare(line: line))
  }

  /// A line read as a request, not yet answered: what ``RequestLanes`` needs to know to
  /// schedule it (the session it names) before ``respond(to:)`` makes the call.
  public func prepare(line: [UInt8]) -> PreparedLine {
    if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) {
      return PreparedLine(.answered(nil))
    }
    guard String(validating: line, as: UTF8.self) != nil else {
      return PreparedLine(.answered(encode(Response.failure(.invalidUTF8, id: nil))))
    }
    guard let message = try? JSONParser.parse(line) else {
      return PreparedLine(.answered(encode(Response.failure(.parseError, id: nil))))
    }
    guard case .object(let fields) = message else {
      return PreparedLine(
        .answered(encode(Response.failure(.invalidRequest("a request must be a JSON object"), id: nil))))
    }
    let id: RequestID?
    switch fields["id"] {
    case nil: id = nil
    case .integer(let value)?: id = .integer(value)
    case .string(let value)?: id = .string(value)
    case .null?:
      return PreparedLine(
        .answered(encode(Response.failure(.invalidRequest("id must be a string or an integer, not null"), id: nil))))
    default:
      return PreparedLine(
        .answered(encode(Response.failure(.invalidRequest("id must be a string or an integer"), id: nil))))
    }
    guard fields["jsonrpc"] == .string("2.0") else {
      return PreparedLine(.answered(encode(Response.failure(.invalidRequest("jsonrpc must be \"2.0\""), id: id))))
    }
    guard case .string(let method)? = fields["method"] else {
      return PreparedLine(.answered(encode(Response.failure(.invalidRequest("method must be a string"), id: id))))
    }
    var sessionId: String?
    if case .object(let params)? = fields["params"], case .string(let session)? = params["sessionId"] {
      sessionId = session
    }
    return PreparedLine(.call(method: method, params: fields["params"], id: id), sessionId: sessionId)
  }

  /// The response to a prepared line, or nil for a notification and a blank line.
  public func respond(to prepared: PreparedLine) -> String? {
    switch prepared.body {
    case .answered(let response):
      return response
    case .call(let method, let params, let id):
      let response: String
      do {
        response = try dispatch(method, params: params, id: id)
      } catch {
        response = encode(Response.failure(error, id: id))
      }
      return id == nil ? nil : response
    }
  }

  /// The error for a line that was too long to read; it has no id, as the line was not read.
  public func lineTooLong(limit: Int) -> String {
    encode(Response.failure(.lineTooLong(limit: limit), id: nil))
  }

  /// Closes every session still open, at the end of the input or on SIGTERM.
  public func closeAllSessions() {
    for session in openSessions.withLock({ sessions in
      defer { sessions.removeAll() }
      return sessions
    }) {
      try? engine.closeSession(session)
    }
  }

  private func dispatch(_ name: String, params raw: JSONValue?, id: RequestID?) throws(ProtocolError) -> String {
    // Params that are not an object are named before an unknown method, as they always were.
    let params = try ParamReader(raw)
    guard let method = MethodRegistry.method(named: name) else { throw .methodNotFound(name) }
    return try method.respond(to: params, id: id, on: self)
  }

  func sessionOpened(_ sessionId: String) {
    openSessions.withLock { _ = $0.insert(sessionId) }
  }

  func sessionClosed(_ sessionId: String) {
    openSessions.withLock { _ = $0.remove(sessionId) }
  }

  /// Runs an engine call, its error becoming the protocol's.
  func engineCall<T>(_ body: () throws -> T) throws(ProtocolError) -> T {
    do {
      return try body()
    } catch let error as EngineError {
      throw ProtocolError(error)
    } catch {
      throw .internalError
    }
  }

  func encode(_ response: Response<some Encodable>) -> String {
    if let line = try? encoder.encode(response) { return line }
    // A result that cannot be written is a fault of the server's, still for this request.
    if let line = try? encoder.encode(Response<JSONValue>.failure(.internalError, id: response.id)) { return line }
    return
      #"{"error":{"code":-32603,"data":{"reason":"internal"},"message":"Internal error"},"id":null,"jsonrpc":"2.0"}"#
  }
}
