import PolicyChat

/// `session.open`: a new session, its Turn disclosing the automated assistant.
enum SessionOpenMethod: ProtocolMethod {
  static let name = "session.open"

  struct Params: MethodParams {
    var options: SessionOptions

    init(_ params: ParamReader) throws(ProtocolError) {
      // In this order, as on the wire since version 1: the first mistake is the one named.
      let signals = try params.optionalObject("signals")
      let country = try params.optionalString("country")
      let locale = try params.optionalString("locale")
      let deviceId = try params.optionalString("deviceId")
      let browser = try signals.map { signals throws(ProtocolError) in
        BrowserSignals(dnt: try signals.optionalBool("dnt"), gpc: try signals.optionalBool("gpc"))
      }
      options = SessionOptions(country: country, locale: locale, deviceId: deviceId, signals: browser)
    }
  }

  static func handle(_ params: Params, on server: ProtocolServer) throws(ProtocolError) -> Turn {
    let turn: Turn = try server.engineCall { try server.engine.openSession(params.options) }
    server.sessionOpened(turn.sessionId)
    return turn
  }
}

/// `session.close`: the session ends; its id is unknown afterwards.
enum SessionCloseMethod: ProtocolMethod {
  static let name = "session.close"

  static func handle(_ params: SessionParams, on server: ProtocolServer) throws(ProtocolError) -> CloseResult {
    try server.engineCall { () throws -> Void in try server.engine.closeSession(params.sessionId) }
    server.sessionClosed(params.sessionId)
    return CloseResult(sessionId: params.sessionId, closed: true)
  }
}

/// `session.export`: what is stored about an open session, for the person in it.
enum SessionExportMethod: ProtocolMethod {
  static let name = "session.export"

  static func handle(_ params: SessionParams, on server: ProtocolServer) throws(ProtocolError) -> SessionExport {
    try server.engineCall { try server.engine.exportOpenSession(params.sessionId) }
  }
}
