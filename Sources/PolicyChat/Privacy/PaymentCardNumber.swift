/// The rules of a payment card number (compliance.md §7): 12 to 19 digits passing Luhn.
enum PaymentCardNumber {
  /// Whether the digits (values 0-9) can be a card number.
  ///
  /// Beyond length and Luhn, the first digit must be one that card schemes issue under
  /// (ISO/IEC 7812 major industry identifiers 2-6: Mastercard, Amex, Diners, JCB, Visa,
  /// Maestro, Discover, UnionPay). Luhn alone passes one number in ten, so this keeps
  /// reference numbers starting 0, 1, 7, 8 or 9 out. The two shortest lengths are narrower
  /// still, because only one scheme uses each: 12 digits only Maestro (5 or 6), 13 digits only
  /// Visa (4). So a 13-digit number that fails the ID-number rules (an impossible date, a C
  /// digit other than 0 or 1) is left alone unless it could be such a Visa number.
  static func isValid(_ digits: [UInt8]) -> Bool {
    guard let first = digits.first else { return false }
    switch digits.count {
    case 12: guard first == 5 || first == 6 else { return false }
    case 13: guard first == 4 else { return false }
    case 14...19: guard (2...6).contains(first) else { return false }
    default: return false
    }
    return Checksums.passesLuhn(digits)
  }
}
