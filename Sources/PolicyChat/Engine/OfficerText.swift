/// Free text the privacy officer writes (the reasons for an extension or a rejection, a note
/// on completion), as the engine stores it: in the request record, which the person is
/// shown, and in the append-only audit log, which must hold no personal data.
public struct OfficerText: Sendable, Equatable {
  /// Which of the officer's fields it is (`reason`, `note`), for messages.
  public let field: String
  /// The text with personal data replaced by placeholders: what is stored and told.
  public let text: String
  /// The kind of each piece of personal data replaced, in the order they appeared.
  public let redacted: [PersonalDataKind]

  /// For the officer, when something was replaced: which kinds and by what, never the
  /// values. Nil when the text was stored as written.
  ///
  /// "Note: the reason held an e-mail address and a phone number; they were replaced by
  /// [email] and [phone] before it was stored."
  public var notice: String? {
    guard !redacted.isEmpty else { return nil }
    var kinds: [PersonalDataKind] = []
    for kind in redacted where !kinds.contains(kind) { kinds.append(kind) }
    let held = kinds.map { kind in
      let count = redacted.filter { $0 == kind }.count
      return count == 1 ? Self.names[kind]?.one ?? kind.rawValue : "\(count) \(Self.names[kind]?.many ?? kind.rawValue)"
    }
    let pronoun = redacted.count == 1 ? "it was" : "they were"
    return
      "Note: the \(field) held \(Self.list(held)); \(pronoun) replaced by \(Self.list(kinds.map(\.placeholder))) "
      + "before it was stored."
  }

  private static let names: [PersonalDataKind: (one: String, many: String)] = [
    .saIdNumber: ("an ID number", "ID numbers"), .phone: ("a phone number", "phone numbers"),
    .email: ("an e-mail address", "e-mail addresses"), .paymentCard: ("a card number", "card numbers"),
    .iban: ("an IBAN", "IBANs"), .passport: ("a passport number", "passport numbers"),
  ]

  /// "a", "a and b", "a, b and c".
  private static func list(_ items: [String]) -> String {
    guard let last = items.last, items.count > 1 else { return items.first ?? "" }
    return items.dropLast().joined(separator: ", ") + " and " + last
  }
}

extension Engine {
  /// The officer's free text as it will be stored: redacted, like everything else the
  /// engine keeps. A text that was little but personal data (fewer than two words left
  /// around the placeholders) says nothing to the person or to an auditor, and is refused.
  public func officerText(_ text: String, field: String) throws(EngineError) -> OfficerText {
    let redaction = redactor.redact(text)
    let kinds = redaction.findings.map(\.kind)
    if !kinds.isEmpty {
      var words = redaction.text
      for kind in PersonalDataKind.allCases { words = words.replacingOccurrences(of: kind.placeholder, with: " ") }
      let left = words.split { !$0.isLetter }.filter { $0.count > 1 }
      guard left.count >= 2 else {
        throw .invalidInput(
          field: field, reason: "words that say why, without personal data (it held little else, and is not stored)")
      }
    }
    return OfficerText(field: field, text: redaction.text, redacted: kinds)
  }
}
