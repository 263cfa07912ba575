import Yams

/// Turns Yams and decoding errors into ``EngineError/invalidData(file:line:reason:)`` with a
/// line number, so that a person editing a data file is pointed at the right place.
enum YAMLErrors {
  static func describe(_ error: any Error, file: String, lineOffset: Int = 0) -> EngineError {
    // YAMLDecoder reports a parse failure as corrupted data wrapping the parser's error.
    if case DecodingError.dataCorrupted(let context) = error, let underlying = context.underlyingError {
      return describe(underlying, file: file, lineOffset: lineOffset)
    }
    if let yaml = error as? YamlError {
      switch yaml {
      case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
        return .invalidData(file: file, line: mark.line + lineOffset, reason: "broken YAML: \(problem)")
      case .composer(_, let problem, let mark, _):
        return .invalidData(file: file, line: mark.line + lineOffset, reason: "broken YAML: \(problem)")
      default:
        return .invalidData(file: file, line: nil, reason: "broken YAML: \(yaml)")
      }
    }
    if let decoding = error as? DecodingError {
      return .invalidData(file: file, line: nil, reason: describe(decoding))
    }
    return .invalidData(file: file, line: nil, reason: "unreadable: \(error)")
  }

  private static func describe(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
      keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
    switch error {
    case .keyNotFound(let key, let context):
      let at = path(context.codingPath)
      return "missing key '\(key.stringValue)'" + (at.isEmpty ? "" : " in \(at)")
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return "wrong type at '\(path(context.codingPath))': \(context.debugDescription)"
    case .dataCorrupted(let context):
      return "invalid value at '\(path(context.codingPath))': \(context.debugDescription)"
    @unknown default:
      return "invalid content"
    }
  }
}
