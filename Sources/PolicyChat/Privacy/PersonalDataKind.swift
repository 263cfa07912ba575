/// A kind of personal data the redactor recognises (compliance.md §7).
///
/// The raw values are stable identifiers, fit for logs and metrics: they name what was removed
/// without saying anything about the value itself.
public enum PersonalDataKind: String, Sendable, CaseIterable {
  /// A South African identity number: 13 digits, YYMMDD SSSS C A Z.
  case saIdNumber = "sa_id_number"
  /// A South African phone number, written nationally (0…) or internationally (+27…, 0027…).
  case phone
  /// An e-mail address.
  case email
  /// A payment card number (12 to 19 digits passing the Luhn check).
  case paymentCard = "payment_card"
  /// An international bank account number, checked by mod-97.
  case iban
  /// A South African passport number, recognised only near the word "passport".
  case passport

  /// What takes the value's place in redacted text.
  ///
  /// Each names the kind, so that a redacted transcript still reads sensibly ("my number is
  /// [phone]") and a reviewer can see what the person shared without seeing the value.
  public var placeholder: String {
    switch self {
    case .saIdNumber: return "[ID number]"
    case .phone: return "[phone]"
    case .email: return "[email]"
    case .paymentCard: return "[card]"
    case .iban: return "[IBAN]"
    case .passport: return "[passport]"
    }
  }
}
