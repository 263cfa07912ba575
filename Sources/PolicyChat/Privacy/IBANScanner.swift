/// Finds IBANs: a country code, two check digits and up to 30 letters or digits, contiguous or
/// in groups of four separated by single spaces, in any case, passing the mod-97 check.
enum IBANScanner {
  /// IBAN lengths by country, from the SWIFT IBAN registry.
  ///
  /// A listed country's IBAN must have exactly its length. This is what keeps a grouped IBAN
  /// followed by more text ("BE68 5390 0754 7034 then…") from being read too long or too
  /// short, and it halves again the small chance that a random string passes mod-97.
  static let lengths: [String: Int] = [
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
    "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
  ]

  /// Countries known not to use IBANs. South Africa is the one that matters here: people in
  /// this chat are mostly South African, and a "ZA…" string is never an IBAN however it sums.
  static let nonIBANCountries: Set<String> = ["ZA"]

  /// Lengths allowed for a country missing from ``lengths`` (one that joined the registry
  /// later): the registry's shortest and longest.
  static let unlistedLengths = 15...34

  static func matches(in text: ScannedText) -> [RedactionMatch] {
    var found: [RedactionMatch] = []
    var offset = 0
    while offset + 4 <= text.count {
      // Only a letter after something that is not a letter or digit can start one; checking
      // that here, before the call, is most of the difference in speed on ordinary text.
      if ScannedText.isLetter(text.bytes[offset]), !text.isAlphanumeric(at: offset - 1),
        let end = ibanEnd(startingAt: offset, text: text)
      {
        found.append(RedactionMatch(kind: .iban, bytes: offset..<end))
        offset = end
      } else {
        offset += 1
      }
    }
    return found
  }

  /// The end of an IBAN that starts at `start`, if one does. Reads at most 34 characters and
  /// their spaces, so trying every offset stays linear.
  private static func ibanEnd(startingAt start: Int, text: ScannedText) -> Int? {
    guard text.isLetter(at: start), text.isLetter(at: start + 1), text.isDigit(at: start + 2),
      text.isDigit(at: start + 3), text.isOpen(before: start)
    else { return nil }
    var characters: [UInt8] = []
    characters.reserveCapacity(34)
    // Where the IBAN could end: after each complete group of four that a space follows, and
    // after the last character read if nothing alphanumeric follows it.
    var ends: [(length: Int, end: Int)] = []
    var cursor = start
    var group = 0
    while characters.count < 34 {
      if let byte = text.byte(at: cursor), ScannedText.isDigit(byte) || ScannedText.isLetter(byte) {
        characters.append(ScannedText.uppercased(byte))
        group += 1
        cursor += 1
      } else if text.byte(at: cursor) == ScannedText.space, group == 4, text.isAlphanumeric(at: cursor + 1) {
        ends.append((characters.count, cursor))
        group = 0
        cursor += 1
      } else {
        break
      }
    }
    if text.isOpen(after: cursor) { ends.append((characters.count, cursor)) }
    let country = String(decoding: characters[0..<2], as: UTF8.self)
    guard !nonIBANCountries.contains(country) else { return nil }
    if let length = lengths[country] {
      guard let end = ends.first(where: { $0.length == length })?.end else { return nil }
      return Checksums.ibanRemainder(Array(characters[0..<length])) == 1 ? end : nil
    }
    // An unlisted country gets one try, at the longest end, so that no shorter prefix of a
    // failing string gets another chance to pass mod-97 by luck.
    guard let last = ends.last, unlistedLengths.contains(last.length) else { return nil }
    return Checksums.ibanRemainder(Array(characters[0..<last.length])) == 1 ? last.end : nil
  }
}
