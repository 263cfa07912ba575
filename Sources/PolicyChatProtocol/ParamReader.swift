/// A request's `params`, read field by field so that a mistake names its field (`text`,
/// `signals.dnt`) and what was wrong with it: -32602, never the value given.
struct ParamReader {
  private let fields: [String: JSONValue]
  /// Where these fields sit in `params`, for the name of a nested field.
  private let path: String?

  init(_ value: JSONValue?) throws(ProtocolError) {
    try self.init(value, path: nil)
  }

  private init(_ value: JSONValue?, path: String?) throws(ProtocolError) {
    self.path = path
    switch value {
    case nil, .null?: fields = [:]
    case .object(let fields)?: self.fields = fields
    case let other?:
      throw .invalidParams(field: path ?? "params", message: "must be an object, not \(other.typeName)")
    }
  }

  func string(_ name: String) throws(ProtocolError) -> String {
    guard let value = try optionalString(name) else { throw missing(name) }
    return value
  }

  func optionalString(_ name: String) throws(ProtocolError) -> String? {
    switch fields[name] {
    case nil, .null?: return nil
    case .string(let value)?: return value
    case let other?: throw wrongType(name, "a string", other)
    }
  }

  func bool(_ name: String) throws(ProtocolError) -> Bool {
    guard let value = try optionalBool(name) else { throw missing(name) }
    return value
  }

  func optionalBool(_ name: String) throws(ProtocolError) -> Bool? {
    switch fields[name] {
    case nil, .null?: return nil
    case .bool(let value)?: return value
    case let other?: throw wrongType(name, "a boolean", other)
    }
  }

  func optionalInt(_ name: String) throws(ProtocolError) -> Int? {
    switch fields[name] {
    case nil, .null?: return nil
    case .integer(let value)?: return value
    case .number(let value)? where value == value.rounded() && abs(value) < 1e9: return Int(value)
    case let other?: throw wrongType(name, "a whole number", other)
    }
  }

  func optionalObject(_ name: String) throws(ProtocolError) -> ParamReader? {
    switch fields[name] {
    case nil, .null?: return nil
    case .object?: return try ParamReader(fields[name], path: label(name))
    case let other?: throw wrongType(name, "an object", other)
    }
  }

  private func label(_ name: String) -> String {
    path.map { "\($0).\(name)" } ?? name
  }

  private func missing(_ name: String) -> ProtocolError {
    .invalidParams(field: label(name), message: "is required")
  }

  private func wrongType(_ name: String, _ expected: String, _ given: JSONValue) -> ProtocolError {
    .invalidParams(field: label(name), message: "must be \(expected), not \(given.typeName)")
  }
}
