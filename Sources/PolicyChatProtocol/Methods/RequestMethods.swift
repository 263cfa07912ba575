import PolicyChat

/// `request.start`: a rights request of one type begins.
enum RequestStartMethod: GateMethod {
  static let name = "request.start"

  static func action(_ params: ParamReader) throws(ProtocolError) -> GateAction {
    .startRequest(type: try params.string("type"))
  }
}

/// `request.identify`: the address to verify.
enum RequestIdentifyMethod: GateMethod {
  static let name = "request.identify"

  static func action(_ params: ParamReader) throws(ProtocolError) -> GateAction {
    .requestAnswer(field: "email", value: try params.string("email"))
  }
}

/// `request.verify`: the one-time code sent to that address.
enum RequestVerifyMethod: GateMethod {
  static let name = "request.verify"

  static func action(_ params: ParamReader) throws(ProtocolError) -> GateAction {
    .requestAnswer(field: "code", value: try params.string("code"))
  }
}

/// `request.details`: what a correction, complaint or human review is about.
enum RequestDetailsMethod: GateMethod {
  static let name = "request.details"

  static func action(_ params: ParamReader) throws(ProtocolError) -> GateAction {
    .requestAnswer(field: "text", value: try params.string("text"))
  }
}

/// `request.confirm`: the yes or no an erasure asks for.
enum RequestConfirmMethod: GateMethod {
  static let name = "request.confirm"

  static func action(_ params: ParamReader) throws(ProtocolError) -> GateAction {
    .requestAnswer(field: "confirm", value: try params.bool("confirm") ? "true" : "false")
  }
}

/// `request.status`: a request looked up by its reference.
enum RequestStatusMethod: GateMethod {
  static let name = "request.status"

  static func action(_ params: ParamReader) throws(ProtocolError) -> GateAction {
    .requestStatus(reference: try params.string("reference"))
  }
}

/// `request.cancel`: the flow stops; nothing is kept.
enum RequestCancelMethod: GateMethod {
  static let name = "request.cancel"

  static func action(_ params: ParamReader) -> GateAction {
    .cancelRequest
  }
}
