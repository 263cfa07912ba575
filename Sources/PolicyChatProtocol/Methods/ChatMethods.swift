import PolicyChat

/// `chat.send`: what the person typed, answered with a Turn.
enum ChatSendMethod: ProtocolMethod {
  static let name = "chat.send"

  struct Params: MethodParams {
    var sessionId: String
    var text: String

    init(_ params: ParamReader) throws(ProtocolError) {
      sessionId = try params.string("sessionId")
      text = try params.string("text")
    }
  }

  static func handle(_ params: Params, on server: ProtocolServer) throws(ProtocolError) -> Turn {
    try server.engineCall { try server.engine.send(params.text, to: params.sessionId) }
  }
}

/// `chat.explain`: how the session's last answer was chosen (`/why`, as data).
enum ChatExplainMethod: ProtocolMethod {
  static let name = "chat.explain"

  static func handle(_ params: SessionParams, on server: ProtocolServer) throws(ProtocolError) -> ExplainResult {
    let trace: Trace? = try server.engineCall { try server.engine.lastTrace(of: params.sessionId) }
    return ExplainResult(sessionId: params.sessionId, trace: trace)
  }
}
