import Foundation
import PolicyChatProtocol

/// Writes values as YAML for rewritten expectations and recorded transcripts: plain words
/// where that is safe, JSON-style quoting (valid YAML) otherwise, block text for answers.
enum YAMLRendering {
  /// `key: value` at `indent`, possibly over several lines.
  static func entry(_ key: String, _ value: ReplayResult.UpdateValue, prefix: String, indent: Int) -> [String] {
    switch value {
    case .text(let text): return textEntry(key, text, prefix: prefix, indent: indent)
    case .texts(let texts):
      let items = texts.count == 1 ? scalar(texts[0]) : "[" + texts.map(scalar).joined(separator: ", ") + "]"
      return [prefix + key + ": " + items]
    case .json(let value): return [prefix + key + ": " + json(value)]
    }
  }

  static func textEntry(_ key: String, _ text: String, prefix: String, indent: Int) -> [String] {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard lines.count > 1, !text.hasPrefix(" "), !text.hasSuffix("\n") else {
      return [prefix + key + ": " + scalar(text)]
    }
    let pad = String(repeating: " ", count: indent + 2)
    return [prefix + key + ": |-"] + lines.map { $0.isEmpty ? "" : pad + $0 }
  }

  /// One value on one line.
  static func scalar(_ text: String) -> String {
    let reserved: Set = ["true", "false", "null", "yes", "no", "on", "off", "~", ""]
    let isPlain =
      text.allSatisfy { $0.isLetter || $0.isNumber || " ._-/".contains($0) }
      && text.first.map { $0.isLetter } == true && text.last != " " && !reserved.contains(text.lowercased())
    if isPlain { return text }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes]
    return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
  }

  /// Flow-style YAML: `{topic: cookies, choices: [a, b]}`, plain words where safe.
  static func json(_ value: JSONValue) -> String {
    switch value {
    case .object(let fields):
      return "{"
        + fields.keys.sorted().map { key in scalar(key) + ": " + json(fields[key] ?? .null) }
        .joined(separator: ", ") + "}"
    case .array(let items):
      return "[" + items.map(json).joined(separator: ", ") + "]"
    case .string(let text):
      return scalar(text)
    case .null:
      return "null"
    case .bool(let flag):
      return flag ? "true" : "false"
    case .integer(let number):
      return String(number)
    case .number(let number):
      return String(number)
    }
  }
}
