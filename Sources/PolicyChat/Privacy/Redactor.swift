/// Replaces personal data in a text with placeholders, before the text is stored or logged.
///
/// Recognises the kinds of compliance.md §7 (``PersonalDataKind``): South African ID numbers,
/// South African phone numbers, e-mail addresses, payment card numbers, IBANs and South African
/// passport numbers. Numbers are accepted only when their check digits, dates and lengths are
/// right, so order numbers, dates, prices and other look-alikes stay readable.
///
/// The scanners are hand-written over the text's UTF-8 bytes rather than regular expressions:
/// every rule needs a check a pattern cannot express (Luhn, mod-97, a real date, a nearby
/// word), and a scanner has no pattern that can fail to compile at run time. Each reads every
/// byte a bounded number of times, so scanning is linear in the length of the text; then each
/// distinct value found is looked for once more (``repeats(of:in:taken:)``).
///
/// ```swift
/// let redaction = Redactor().redact("Call me on 082 555 1234")
/// redaction.text  // "Call me on [phone]"
/// ```
public struct Redactor: Sendable {
  /// Which kind keeps a stretch of text that two scanners both claim.
  ///
  /// An e-mail address may contain digits that look like a phone or card number, and an IBAN
  /// contains long digit runs, so both go first; an ID number is also a Luhn-valid 13-digit
  /// number, so it beats the card rules.
  private static let precedence: [PersonalDataKind] = [.email, .iban, .saIdNumber, .paymentCard, .phone, .passport]

  /// A redactor; it holds no state, so one can be shared freely.
  public init() {}

  /// The text with every piece of personal data replaced by its kind's placeholder, and where
  /// each piece was in `text`.
  public func redact(_ text: String) -> Redaction {
    let scanned = ScannedText(text)
    let candidates =
      EmailAddressScanner.matches(in: scanned) + IBANScanner.matches(in: scanned)
      + DigitGroupScanner.matches(in: scanned) + PhoneNumberScanner.matches(in: scanned)
      + PassportNumberScanner.matches(in: scanned)
    guard !candidates.isEmpty else { return Redaction(text: text, findings: []) }

    var taken = [Bool](repeating: false, count: scanned.count)
    var accepted: [RedactionMatch] = []
    for kind in Self.precedence {
      for candidate in candidates where candidate.kind == kind && !taken[candidate.bytes].contains(true) {
        for offset in candidate.bytes { taken[offset] = true }
        accepted.append(candidate)
      }
    }
    accepted += Self.repeats(of: accepted, in: scanned, taken: &taken)
    accepted.sort { $0.bytes.lowerBound < $1.bytes.lowerBound }
    return replacing(accepted, in: text, scanned: scanned)
  }

  /// Every other place a value already found stands as a word of its own. A value is
  /// personal data wherever it appears, but a scanner may read a second copy differently by
  /// its context (card digits after a four-character group read as part of an IBAN that
  /// then fails its check, a passport number away from the word "passport"), which would
  /// leave the copy readable.
  private static func repeats(
    of found: [RedactionMatch], in scanned: ScannedText, taken: inout [Bool]
  ) -> [RedactionMatch] {
    var seen: Set<[UInt8]> = []
    var more: [RedactionMatch] = []
    for match in found {
      let value = Array(scanned.bytes[match.bytes])
      guard seen.insert(value).inserted else { continue }
      var start = 0
      while start + value.count <= scanned.count {
        let range = start..<(start + value.count)
        if !taken[range].contains(true), !scanned.isAlphanumeric(at: start - 1),
          !scanned.isAlphanumeric(at: range.upperBound), scanned.bytes[range].elementsEqual(value)
        {
          for offset in range { taken[offset] = true }
          more.append(RedactionMatch(kind: match.kind, bytes: range))
          start = range.upperBound
        } else {
          start += 1
        }
      }
    }
    return more
  }

  /// Builds the redacted text from the original bytes. Every match begins and ends on a scalar
  /// boundary, so the pieces kept between matches are whole UTF-8 sequences.
  private func replacing(_ matches: [RedactionMatch], in text: String, scanned: ScannedText) -> Redaction {
    var output: [UInt8] = []
    output.reserveCapacity(scanned.count)
    var findings: [Finding] = []
    var copied = 0
    // Indices are advanced from the previous one, so converting offsets costs nothing more
    // than one walk of the text even for a string that is not natively UTF-8.
    var index = text.utf8.startIndex
    var indexOffset = 0
    for match in matches {
      output.append(contentsOf: scanned.bytes[copied..<match.bytes.lowerBound])
      output.append(contentsOf: match.kind.placeholder.utf8)
      copied = match.bytes.upperBound
      let lower = text.utf8.index(index, offsetBy: match.bytes.lowerBound - indexOffset)
      let upper = text.utf8.index(lower, offsetBy: match.bytes.count)
      (index, indexOffset) = (upper, match.bytes.upperBound)
      findings.append(Finding(kind: match.kind, range: lower..<upper))
    }
    output.append(contentsOf: scanned.bytes[copied...])
    return Redaction(text: String(decoding: output, as: UTF8.self), findings: findings)
  }
}
