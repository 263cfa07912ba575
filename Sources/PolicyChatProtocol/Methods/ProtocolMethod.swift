import PolicyChat

/// One method of the protocol: its name, what its params decode to, and what it answers.
///
/// A method exists once, as a type conforming to this protocol and listed in
/// ``MethodRegistry/all``: dispatch, `initialize`'s `methods` and `hostOnlyMethods`, and
/// the test that docs/PROTOCOL.md documents every method all read that list.
protocol ProtocolMethod: SendableMetatype {
  associatedtype Params
  associatedtype Result: Encodable

  /// The name a request gives in `method`.
  static var name: String { get }
  /// Whether the method states a verification done outside the conversation, which only
  /// the host may call, never a browser on the person's behalf (docs/EMBEDDING.md).
  static var hostOnly: Bool { get }

  /// Reads the params; a field missing or of the wrong type is -32602 naming it.
  static func decode(_ params: ParamReader) throws(ProtocolError) -> Params
  /// Does what the method does: calls on the server's engine, and nothing of its own.
  static func handle(_ params: Params, on server: ProtocolServer) throws(ProtocolError) -> Result
}

extension ProtocolMethod {
  static var hostOnly: Bool { false }

  /// The response line to one request of this method; an error is the caller's to encode,
  /// with the request's id.
  static func respond(to params: ParamReader, id: RequestID?, on server: ProtocolServer) throws(ProtocolError)
    -> String
  {
    let result = try handle(try decode(params), on: server)
    return server.encode(Response(id: id, result: result))
  }
}

/// Params that read themselves, for a method whose params are its own type.
protocol MethodParams {
  init(_ params: ParamReader) throws(ProtocolError)
}

extension ProtocolMethod where Params: MethodParams {
  static func decode(_ params: ParamReader) throws(ProtocolError) -> Params {
    try Params(params)
  }
}

/// The params of a method that takes none: whatever is sent (in an object) is ignored.
struct NoParams: MethodParams {
  init(_ params: ParamReader) {}
}

/// The params of a method that takes only the session.
struct SessionParams: MethodParams {
  var sessionId: String

  init(_ params: ParamReader) throws(ProtocolError) {
    sessionId = try params.string("sessionId")
  }
}
