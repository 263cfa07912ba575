import PolicyChat

/// `parental.request`: the child asks a parent for consent.
enum ParentalRequestMethod: GateMethod {
  static let name = "parental.request"

  static func action(_ params: ParamReader) throws(ProtocolError) -> GateAction {
    .requestParentalConsent(contact: try params.string("contact"))
  }
}

/// `parental.verify`: the code the parent received.
enum ParentalVerifyMethod: GateMethod {
  static let name = "parental.verify"

  static func action(_ params: ParamReader) throws(ProtocolError) -> GateAction {
    .enterCode(reference: try params.string("reference"), code: try params.string("code"))
  }
}

/// `parental.confirm`: the parent's explicit yes or no.
enum ParentalConfirmMethod: GateMethod {
  static let name = "parental.confirm"

  static func action(_ params: ParamReader) throws(ProtocolError) -> GateAction {
    .confirmConsent(reference: try params.string("reference"), agree: try params.bool("consent"))
  }
}

/// `parental.hostVerified`: the host verified the parent itself. Host only: a page that
/// could call it would declare its own parent verified.
enum ParentalHostVerifiedMethod: GateMethod {
  static let name = "parental.hostVerified"
  static let hostOnly = true

  static func action(_ params: ParamReader) throws(ProtocolError) -> GateAction {
    .hostVerified(reference: try params.string("reference"), method: try params.string("method"))
  }
}

/// A parent's step on a consent, named by its reference alone.
protocol ParentControlMethod: GateMethod {
  static var parentAction: ParentAction { get }
}

extension ParentControlMethod {
  static func action(_ params: ParamReader) throws(ProtocolError) -> GateAction {
    .parent(parentAction, reference: try params.string("reference"))
  }
}

/// `parental.start`: a parent starts giving consent.
enum ParentalStartMethod: ParentControlMethod {
  static let name = "parental.start"
  static let parentAction = ParentAction.consent
}

/// `parental.review`: a parent sees what the consent covers.
enum ParentalReviewMethod: ParentControlMethod {
  static let name = "parental.review"
  static let parentAction = ParentAction.review
}

/// `parental.revoke`: a parent withdraws the consent.
enum ParentalRevokeMethod: ParentControlMethod {
  static let name = "parental.revoke"
  static let parentAction = ParentAction.revoke
}

/// `parental.delete`: a parent has the child's data deleted.
enum ParentalDeleteMethod: ParentControlMethod {
  static let name = "parental.delete"
  static let parentAction = ParentAction.delete
}

/// `parental.newCode`: another code for a pending consent.
enum ParentalNewCodeMethod: ParentControlMethod {
  static let name = "parental.newCode"
  static let parentAction = ParentAction.newCode
}
