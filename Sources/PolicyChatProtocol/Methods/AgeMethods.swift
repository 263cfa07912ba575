import PolicyChat

/// `age.declare`: the age screen answered by the host's own form, as an age or a date.
enum AgeDeclareMethod: GateMethod {
  static let name = "age.declare"

  static func action(_ params: ParamReader) throws(ProtocolError) -> GateAction {
    if let age = try params.optionalInt("age") { return .declareAge(String(age)) }
    return .declareAge(try params.string("dateOfBirth"))
  }
}

/// `country.set`: the country whose rules apply.
enum CountrySetMethod: GateMethod {
  static let name = "country.set"

  static func action(_ params: ParamReader) throws(ProtocolError) -> GateAction {
    .setCountry(try params.string("country"))
  }
}
