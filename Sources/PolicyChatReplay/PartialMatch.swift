import PolicyChatProtocol

/// Whether `actual` has everything `expected` says: objects may hold more keys; lists must
/// be as long, element by element; scalars equal (an integer equals the same number).
enum PartialMatch {
  static func matches(_ expected: JSONValue, _ actual: JSONValue) -> Bool {
    switch (expected, actual) {
    case (.object(let wanted), .object(let have)):
      return wanted.allSatisfy { key, value in have[key].map { matches(value, $0) } ?? (value == .null) }
    case (.array(let wanted), .array(let have)):
      return wanted.count == have.count && zip(wanted, have).allSatisfy { matches($0, $1) }
    case (.integer(let a), .number(let b)), (.number(let b), .integer(let a)):
      return Double(a) == b
    default:
      return expected == actual
    }
  }

  /// Each expected item matches a different actual item, in any order.
  static func eachMatchesOne(_ expected: [JSONValue], in actual: [JSONValue]) -> Bool {
    var unused = actual
    for wanted in expected {
      guard let index = unused.firstIndex(where: { matches(wanted, $0) }) else { return false }
      unused.remove(at: index)
    }
    return true
  }

  /// `actual` cut down to the keys `expected` names, for updating an expectation without
  /// widening it.
  static func project(_ actual: JSONValue, onto expected: JSONValue) -> JSONValue {
    guard case .object(let wanted) = expected, case .object(let have) = actual else { return actual }
    var result: [String: JSONValue] = [:]
    for (key, value) in wanted {
      result[key] = have[key].map { project($0, onto: value) } ?? .null
    }
    return .object(result)
  }
}
