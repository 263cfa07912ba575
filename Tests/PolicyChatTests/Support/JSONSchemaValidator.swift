import Foundation

/// A JSON value as parsed, keeping `true` apart from `1` (which `JSONSerialization` does not
/// on every platform).
enum JSONValue: Hashable, Sendable, Decodable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  /// Parses JSON text.
  static func parse(_ text: String) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
  }

  /// The member `key` of an object; nil for anything else.
  subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members[key]
  }

  /// The elements of an array; nil for anything else.
  var elements: [JSONValue]? {
    guard case .array(let elements) = self else { return nil }
    return elements
  }

  /// The text of a string; nil for anything else.
  var text: String? {
    guard case .string(let text) = self else { return nil }
    return text
  }

  /// The JSON Schema type names this value has: `integer` values are `number`s too.
  var typeNames: Set<String> {
    switch self {
    case .null: ["null"]
    case .bool: ["boolean"]
    case .number(let value): value.rounded() == value ? ["number", "integer"] : ["number"]
    case .string: ["string"]
    case .array: ["array"]
    case .object: ["object"]
    }
  }
}

/// A small validator for the part of JSON Schema (draft 2020-12) the repository's schemas
/// use: `type` (one name or a list), `properties`, `required`, `additionalProperties` (`false`
/// or a schema), `items`, `enum`, `const`, `format: date-time` and `$ref` to `#/...` (such as
/// `#/$defs/Name`). Annotations (`description`, `title`, ...) are ignored; any other keyword
/// is reported as an error, so a schema cannot seem to check what this validator does not.
struct JSONSchemaValidator {
  let root: JSONValue

  private static let annotations: Set = [
    "$schema", "$id", "$defs", "$comment", "title", "description", "examples", "default",
  ]
  private static let keywords: Set = [
    "$ref", "type", "properties", "required", "additionalProperties", "items", "enum", "const", "format",
  ]

  init(schema: JSONValue) {
    root = schema
  }

  init(contentsOf url: URL) throws {
    root = try JSONValue.parse(String(contentsOf: url, encoding: .utf8))
  }

  /// Every way `instance` breaks the schema, each as `path: problem`; empty when it is valid.
  func validate(_ instance: JSONValue) -> [String] {
    var errors: [String] = []
    check(instance, against: root, at: "$", errors: &errors)
    return errors
  }

  func validate(json: String) throws -> [String] {
    validate(try JSONValue.parse(json))
  }

  private func check(_ value: JSONValue, against schema: JSONValue, at path: String, errors: inout [String]) {
    let keywords: [String: JSONValue]
    switch schema {
    case .object(let members): keywords = members
    case .bool(true): return
    case .bool(false):
      errors.append("\(path): no value is allowed here")
      return
    default:
      errors.append("\(path): the schema here is not an object or a boolean")
      return
    }
    for keyword in keywords.keys.sorted()
    where !Self.keywords.contains(keyword) && !Self.annotations.contains(keyword) {
      errors.append("\(path): the schema keyword '\(keyword)' is not supported by this validator")
    }

    if case .string(let reference)? = keywords["$ref"] {
      guard let target = resolve(reference) else {
        errors.append("\(path): $ref '\(reference)' does not resolve")
        return
      }
      check(value, against: target, at: path, errors: &errors)
    }
    if let type = keywords["type"] {
      let allowed: [String]
      switch type {
      case .string(let name): allowed = [name]
      case .array(let names): allowed = names.compactMap { if case .string(let name) = $0 { name } else { nil } }
      default: allowed = []
      }
      if value.typeNames.isDisjoint(with: allowed) {
        let actual = value.typeNames.contains("integer") ? "integer" : value.typeNames.first ?? "?"
        errors.append("\(path): expected \(allowed.joined(separator: " or ")), found \(actual)")
        // The other keywords would only repeat the mismatch.
        return
      }
    }
    if case .array(let options)? = keywords["enum"], !options.contains(value) {
      let allowed = options.map(Self.describe).joined(separator: ", ")
      errors.append("\(path): \(Self.describe(value)) is not one of \(allowed)")
    }
    if let constant = keywords["const"], constant != value {
      errors.append("\(path): expected \(Self.describe(constant)), found \(Self.describe(value))")
    }
    if case .string("date-time")? = keywords["format"], case .string(let text) = value, !Self.isDateTime(text) {
      errors.append("\(path): \(Self.describe(value)) is not an RFC 3339 date-time")
    }
    if case .object(let members) = value {
      checkObject(members, keywords: keywords, at: path, errors: &errors)
    }
    if case .array(let elements) = value, let items = keywords["items"] {
      for (index, element) in elements.enumerated() {
        check(element, against: items, at: "\(path)[\(index)]", errors: &errors)
      }
    }
  }

  private func checkObject(
    _ members: [String: JSONValue], keywords: [String: JSONValue], at path: String, errors: inout [String]
  ) {
    if case .array(let required)? = keywords["required"] {
      for case .string(let name) in required where members[name] == nil {
        errors.append("\(path): the required property '\(name)' is missing")
      }
    }
    var properties: [String: JSONValue] = [:]
    if case .object(let declared)? = keywords["properties"] { properties = declared }
    for name in members.keys.sorted() {
      guard let member = members[name] else { continue }
      if let property = properties[name] {
        check(member, against: property, at: "\(path).\(name)", errors: &errors)
      } else if let additional = keywords["additionalProperties"] {
        if additional == .bool(false) {
          errors.append("\(path): the property '\(name)' is not allowed")
        } else {
          check(member, against: additional, at: "\(path).\(name)", errors: &errors)
        }
      }
    }
  }

  /// The schema a `#/...` JSON Pointer names within the root schema.
  private func resolve(_ reference: String) -> JSONValue? {
    guard reference.hasPrefix("#") else { return nil }
    var target = root
    for token in reference.dropFirst().split(separator: "/", omittingEmptySubsequences: true) {
      let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
      guard let next = target[key] else { return nil }
      target = next
    }
    return target
  }

  /// RFC 3339 `date-time`, as JSON Schema's `format: date-time` means: a date that exists,
  /// `T`, a time, optional fractions of a second and a zone (`Z` or an offset).
  static func isDateTime(_ text: String) -> Bool {
    let shape = /(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))/
    guard let match = text.wholeMatch(of: shape),
      let year = Int(match.1), let month = Int(match.2), let day = Int(match.3), let hour = Int(match.4),
      let minute = Int(match.5), let second = Int(match.6)
    else { return false }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    guard (1...12).contains(month), (1...days[month - 1]).contains(day) else { return false }
    // 60 is a leap second.
    guard hour < 24, minute < 60, second <= 60 else { return false }
    if let offsetHours = match.7.flatMap({ Int($0) }), let offsetMinutes = match.8.flatMap({ Int($0) }) {
      return offsetHours < 24 && offsetMinutes < 60
    }
    return true
  }

  private static func describe(_ value: JSONValue) -> String {
    switch value {
    case .null: "null"
    case .bool(let flag): String(flag)
    case .number(let number): number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
    case .string(let text): "\"\(text)\""
    case .array(let elements): "an array of \(elements.count)"
    case .object: "an object"
    }
  }
}
