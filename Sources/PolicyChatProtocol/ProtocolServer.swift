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

  private let engine: Engine
  private let serverVersion: String
  /// Sessions opened through this server, closed when it shuts down.
  private let openSessions = Mutex<Set<String>>([])
  private let encoder = ResponseEncoder()

  public init(engine: Engine, serverVersion: String) {
    self.engine = engine
    self.serverVersion = serverVersion
  }

  /// Every method, for `initialize` and the documentation.
  public static let methods = [
    "initialize", "session.open", "chat.send", "chat.explain", "session.close", "age.declare", "country.set",
    "parental.request", "parental.start", "parental.verify", "parental.confirm", "parental.hostVerified",
    "parental.review", "parental.revoke", "parental.delete", "parental.newCode", "consent.set", "consent.status",
    "consent.receipt", "session.export", "request.start", "request.identify", "request.verify", "request.details",
    "request.confirm", "request.status", "request.cancel", "policy.versions", "policy.archive",
  ]

  /// Methods that state a verification done outside the conversation: only the host may
  /// call them, never a browser on the person's behalf (docs/EMBEDDING.md says how a host
  /// keeps them away from its pages). The engine also refuses them in the session, or on
  /// the device, of the person they would verify.
  public static let hostOnlyMethods = ["parental.hostVerified"]

  /// The response to one line, or nil for a notification (a request without an id) and
  /// for a blank line, which front ends may send to keep a pipe alive.
  public func handle(line: [UInt8]) -> String? {
    if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) {
      return nil
    }
    guard String(validating: line, as: UTF8.self) != nil else {
      return encode(Response.failure(.invalidUTF8, id: nil))
    }
    guard let message = try? JSONParser.parse(line) else {
      return encode(Response.failure(.parseError, id: nil))
    }
    guard case .object(let fields) = message else {
      return encode(Response.failure(.invalidRequest("a request must be a JSON object"), id: nil))
    }
    let id: RequestID?
    switch fields["id"] {
    case nil: id = nil
    case .integer(let value)?: id = .integer(value)
    case .string(let value)?: id = .string(value)
    case .null?:
      return encode(Response.failure(.invalidRequest("id must be a string or an integer, not null"), id: nil))
    default:
      return encode(Response.failure(.invalidRequest("id must be a string or an integer"), id: nil))
    }
    guard fields["jsonrpc"] == .string("2.0") else {
      return encode(Response.failure(.invalidRequest("jsonrpc must be \"2.0\""), id: id))
    }
    guard case .string(let method)? = fields["method"] else {
      return encode(Response.failure(.invalidRequest("method must be a string"), id: id))
    }
    let response: String
    do {
      response = try dispatch(method, params: fields["params"], id: id)
    } catch {
      response = encode(Response.failure(error, id: id))
    }
    return id == nil ? nil : response
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

  private func dispatch(_ method: String, params raw: JSONValue?, id: RequestID?) throws(ProtocolError) -> String {
    let params = try Params(raw)
    switch method {
    case "initialize":
      let policy = engine.knowledge.policy
      return encode(
        Response(
          id: id,
          result: InitializeResult(
            serverName: Self.serverName, serverVersion: serverVersion, protocolVersion: Self.protocolVersion,
            policy: .init(organisation: policy.organisation, version: policy.version, lastUpdated: policy.lastUpdated),
            methods: Self.methods, hostOnlyMethods: Self.hostOnlyMethods)))
    case "session.open":
      let signals = try params.optionalObject("signals")
      let options = SessionOptions(
        country: try params.optionalString("country"), locale: try params.optionalString("locale"),
        deviceId: try params.optionalString("deviceId"),
        signals: try signals.map { signals throws(ProtocolError) in
          BrowserSignals(
            dnt: try signals.optionalBool("dnt", in: "signals"), gpc: try signals.optionalBool("gpc", in: "signals"))
        })
      let turn: Turn = try engineCall { try engine.openSession(options) }
      openSessions.withLock { _ = $0.insert(turn.sessionId) }
      return encode(Response(id: id, result: turn))
    case "chat.send":
      let sessionId = try params.string("sessionId")
      let text = try params.string("text")
      let turn: Turn = try engineCall { try engine.send(text, to: sessionId) }
      return encode(Response(id: id, result: turn))
    case "chat.explain":
      let sessionId = try params.string("sessionId")
      let trace: Trace? = try engineCall { try engine.lastTrace(of: sessionId) }
      return encode(Response(id: id, result: ExplainResult(sessionId: sessionId, trace: trace)))
    case "session.close":
      let sessionId = try params.string("sessionId")
      try engineCall { () throws -> Void in try engine.closeSession(sessionId) }
      openSessions.withLock { _ = $0.remove(sessionId) }
      return encode(Response(id: id, result: CloseResult(sessionId: sessionId, closed: true)))
    case "consent.receipt":
      let sessionId = try params.string("sessionId")
      let receipt: ConsentReceipt? = try engineCall { try engine.consentReceipt(of: sessionId) }
      return encode(Response(id: id, result: ReceiptResult(sessionId: sessionId, receipt: receipt)))
    case "policy.versions":
      let current = engine.knowledge.policy.version
      return encode(
        Response(
          id: id,
          result: PolicyVersionsResult(
            current: current,
            versions: engine.disclosure.versions.map {
              .init(version: $0.version, date: $0.date, summary: $0.summary, material: $0.material)
            })))
    case "policy.archive":
      let asked = try params.string("version")
      guard let version = engine.disclosure.version(asked) else {
        throw .invalidParams(field: "version", message: "must be one of the policy's versions")
      }
      let text: String? = try engineCall { try engine.archivedPolicyText(version) }
      return encode(
        Response(
          id: id,
          result: PolicyArchiveResult(
            version: version.version, date: version.date, summary: version.summary, material: version.material,
            current: version.version == engine.knowledge.policy.version, text: text)))
    case "session.export":
      let sessionId = try params.string("sessionId")
      // Only a session still open here: the id of a closed one may have been seen by others.
      guard engine.isOpen(sessionId) else { throw .unknownSession }
      let export: SessionExport = try engineCall { try engine.export(sessionId: sessionId) }
      return encode(Response(id: id, result: export))
    default:
      guard let action = try gateAction(method, params: params) else { throw .methodNotFound(method) }
      let sessionId = try params.string("sessionId")
      let turn: Turn = try engineCall { try engine.perform(action, in: sessionId) }
      return encode(Response(id: id, result: turn))
    }
  }

  /// The age-screen and parental-consent methods, each a ``GateAction`` on a session.
  private func gateAction(_ method: String, params: Params) throws(ProtocolError) -> GateAction? {
    switch method {
    case "age.declare":
      if let age = try params.optionalInt("age") { return .declareAge(String(age)) }
      return .declareAge(try params.string("dateOfBirth"))
    case "country.set":
      return .setCountry(try params.string("country"))
    case "consent.set":
      return .setConsent(purpose: try params.string("purpose"), granted: try params.bool("granted"))
    case "consent.status":
      return .consentStatus
    case "request.start":
      return .startRequest(type: try params.string("type"))
    case "request.identify":
      return .requestAnswer(field: "email", value: try params.string("email"))
    case "request.verify":
      return .requestAnswer(field: "code", value: try params.string("code"))
    case "request.details":
      return .requestAnswer(field: "text", value: try params.string("text"))
    case "request.confirm":
      return .requestAnswer(field: "confirm", value: try params.bool("confirm") ? "true" : "false")
    case "request.status":
      return .requestStatus(reference: try params.string("reference"))
    case "request.cancel":
      return .cancelRequest
    case "parental.request":
      return .requestParentalConsent(contact: try params.string("contact"))
    case "parental.verify":
      return .enterCode(reference: try params.string("reference"), code: try params.string("code"))
    case "parental.confirm":
      return .confirmConsent(reference: try params.string("reference"), agree: try params.bool("consent"))
    case "parental.hostVerified":
      return .hostVerified(reference: try params.string("reference"), method: try params.string("method"))
    case "parental.start", "parental.review", "parental.revoke", "parental.delete", "parental.newCode":
      let name = method.dropFirst("parental.".count)
      let action: ParentAction =
        switch name {
        case "start": .consent
        case "review": .review
        case "revoke": .revoke
        case "delete": .delete
        default: .newCode
        }
      return .parent(action, reference: try params.string("reference"))
    default:
      return nil
    }
  }

  private func engineCall<T>(_ body: () throws -> T) throws(ProtocolError) -> T {
    do {
      return try body()
    } catch let error as EngineError {
      throw ProtocolError(error)
    } catch {
      throw .internalError
    }
  }

  private func encode(_ response: Response<some Encodable>) -> String {
    guard let line = try? encoder.encode(response) else {
      return
        #"{"error":{"code":-32603,"data":{"reason":"internal"},"message":"Internal error"},"id":null,"jsonrpc":"2.0"}"#
    }
    return line
  }
}
