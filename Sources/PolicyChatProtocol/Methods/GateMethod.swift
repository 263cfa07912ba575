import PolicyChat

/// A method that is one structured step (``GateAction``) on a session, answered with a
/// Turn: it enters its flow directly, never through the text parser.
protocol GateMethod: ProtocolMethod where Params == GateCall, Result == Turn {
  /// The step, read from the method's own fields.
  static func action(_ params: ParamReader) throws(ProtocolError) -> GateAction
}

/// A step and the session it is taken in.
struct GateCall {
  var action: GateAction
  var sessionId: String
}

extension GateMethod {
  static func decode(_ params: ParamReader) throws(ProtocolError) -> GateCall {
    // The step's own fields are read before the session's: an error names what the step
    // needs first, as it always has on the wire.
    let action = try action(params)
    return GateCall(action: action, sessionId: try params.string("sessionId"))
  }

  static func handle(_ call: GateCall, on server: ProtocolServer) throws(ProtocolError) -> Turn {
    try server.engineCall { try server.engine.perform(call.action, in: call.sessionId) }
  }
}
