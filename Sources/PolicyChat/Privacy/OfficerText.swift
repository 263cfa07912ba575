import Foundation

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
