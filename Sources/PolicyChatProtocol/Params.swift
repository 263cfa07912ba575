/// A request's `params`, read field by field so that a mistake names its field.
struct Params {
  private let fields: [String: JSONValue]

  init(_ value: JSONValue?) throws(ProtocolError) {
    switch value {
    case nil, .null?: fields = [:]
    case .object(let fields)?: self.fields = fields
    case let other?:
      throw .invalidParams(field: "params", message: "must be an object, not \(other.typeName)")
    }
  }

  func string(_ name: String) throws(ProtocolError) -> String {
    guard let value = try optionalString(name) else {
      throw .invalidParams(field: name, message: "is required")
    }
    return value
  }

  func optionalString(_ name: String) throws(ProtocolError) -> String? {
    switch fields[name] {
    case nil, .null?: return nil
    case .string(let value)?: return value
    case let other?: throw .invalidParams(field: name, message: "must be a string, not \(other.typeName)")
    }
  }

  func optionalBool(_ name: String, in object: String? = nil) throws(ProtocolError) -> Bool? {
    let label = object.map { "\($0).\(name)" } ?? name
    switch fields[name] {
    case nil, .null?: return nil
    case .bool(let value)?: return value
    case let other?: throw .invalidParams(field: label, message: "must be a boolean, not \(other.typeName)")
    }
  }

  func bool(_ name: String) throws(ProtocolError) -> Bool {
    guard let value = try optionalBool(name) else {
      throw .invalidParams(field: name, message: "is required")
    }
    return value
  }

  func optionalInt(_ name: String) throws(ProtocolError) -> Int? {
    switch fields[name] {
    case nil, .null?: return nil
    case .integer(let value)?: return value
    case .number(let value)? where value == value.rounded() && abs(value) < 1e9: return Int(value)
    case let other?: throw .invalidParams(field: name, message: "must be a whole number, not \(other.typeName)")
    }
  }

  func optionalObject(_ name: String) throws(ProtocolError) -> Params? {
    switch fields[name] {
    case nil, .null?: return nil
    case .object?: return try Params(fields[name])
    case let other?: throw .invalidParams(field: name, message: "must be an object, not \(other.typeName)")
    }
  }
}
