import PolicyChat

/// `consent.set`: one purpose turned on or off.
enum ConsentSetMethod: GateMethod {
  static let name = "consent.set"

  static func action(_ params: ParamReader) throws(ProtocolError) -> GateAction {
    .setConsent(purpose: try params.string("purpose"), granted: try params.bool("granted"))
  }
}

/// `consent.status`: each purpose, on or off, and until when.
enum ConsentStatusMethod: GateMethod {
  static let name = "consent.status"

  static func action(_ params: ParamReader) -> GateAction {
    .consentStatus
  }
}

/// `consent.receipt`: the receipt of the consents in force, or null.
enum ConsentReceiptMethod: ProtocolMethod {
  static let name = "consent.receipt"

  static func handle(_ params: SessionParams, on server: ProtocolServer) throws(ProtocolError) -> ReceiptResult {
    let receipt: ConsentReceipt? = try server.engineCall { try server.engine.consentReceipt(of: params.sessionId) }
    return ReceiptResult(sessionId: params.sessionId, receipt: receipt)
  }
}
