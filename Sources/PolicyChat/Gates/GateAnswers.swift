import Foundation

/// Reading the short answers the age screen and parental consent ask for.
enum GateAnswers {
  /// An e-mail address in the message, if any.
  static func email(in text: String) -> String? {
    first(emailPattern, in: text)
  }

  /// Every e-mail address in a text.
  static func emails(in text: String) -> [String] {
    guard let regex = emailPattern else { return [] }
    return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
      Range(match.range, in: text).map { String(text[$0]) }
    }
  }

  /// A consent reference ("pc-7f3k2p", "PC 7F3K2P"), written the canonical way.
  static func reference(in text: String) -> String? {
    guard let match = first(referencePattern, in: text) else { return nil }
    let code = match.uppercased().filter { $0.isLetter || $0.isNumber }.dropFirst(2)
    return "PC-" + code
  }

  /// A request reference ("rq-7f3k2p", "RQ 7F3K2P"), written the canonical way.
  static func requestReference(in text: String) -> String? {
    guard let match = first(requestPattern, in: text) else { return nil }
    return "RQ-" + match.uppercased().filter { $0.isLetter || $0.isNumber }.dropFirst(2)
  }

  /// A one-time code of `digits` digits, also when typed with spaces ("123 456").
  static func code(in text: String, digits: Int) -> String? {
    let withoutReference = text.replacingOccurrences(
      of: referenceSource, with: " ", options: [.regularExpression, .caseInsensitive]
    ).replacingOccurrences(of: #"\bRQ[- ]?[A-Z0-9]{6}\b"#, with: " ", options: [.regularExpression, .caseInsensitive])
    let compact = withoutReference.filter { !$0.isWhitespace && $0 != "-" }
    let runs = compact.split { !$0.isASCII || !$0.isNumber }
    return runs.count == 1 && runs[0].count == digits ? String(runs[0]) : nil
  }

  /// "m***@example.com": enough for the person to recognise the address, not to read it.
  static func masked(_ email: String) -> String {
    guard let at = email.firstIndex(of: "@"), let first = email.first else { return "***" }
    return String(first) + "***" + email[at...]
  }

  static func wordCount(_ text: String) -> Int {
    text.split(whereSeparator: \.isWhitespace).count
  }

  private static let referenceSource = #"\bPC[- ]?[A-Z0-9]{6}\b"#
  // Fixed literals: tests cover that they compile and match.
  private static let emailPattern = try? NSRegularExpression(
    pattern: #"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"#, options: [.caseInsensitive])
  private static let referencePattern = try? NSRegularExpression(pattern: referenceSource, options: [.caseInsensitive])
  private static let requestPattern = try? NSRegularExpression(
    pattern: #"\bRQ[- ]?[A-Z0-9]{6}\b"#, options: [.caseInsensitive])

  private static func first(_ regex: NSRegularExpression?, in text: String) -> String? {
    let range = NSRange(text.startIndex..., in: text)
    guard let match = regex?.firstMatch(in: text, range: range), let found = Range(match.range, in: text) else {
      return nil
    }
    return String(text[found])
  }
}
