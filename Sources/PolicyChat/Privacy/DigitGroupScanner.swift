/// Finds South African ID numbers and payment card numbers: runs of digits, alone or in
/// groups joined by single spaces or dashes.
///
/// Each maximal run of ASCII digits is a group. A value is a fixed layout of whole groups (so
/// never part of a longer run of digits), joined by one separator used throughout; each run
/// is tried as the start of every layout, so the work is linear in the length of the text.
enum DigitGroupScanner {
  /// How people write an ID number: contiguous, or split after the date and the sequence.
  private static let idLayouts: [[Int]] = [[13], [6, 7], [6, 4, 3], [6, 4, 1, 2], [6, 4, 2, 1], [6, 4, 1, 1, 1]]

  /// How card numbers are printed, tried longest first: 16 digits in fours (19 with a last
  /// group of three), American Express 4-6-5 and Diners 4-6-4. Contiguous numbers of 12-19
  /// digits are read separately.
  ///
  /// The layouts exclude each other except that a 4-4-4-4-3 failing Luhn is tried again as
  /// 4-4-4-4: a card followed by its security code. There is deliberately no 4-4-4, so a
  /// 16-digit number that fails Luhn is not half redacted because its first 12 digits pass.
  private static let cardLayouts: [[Int]] = [[4, 4, 4, 4, 3], [4, 4, 4, 4], [4, 6, 5], [4, 6, 4]]

  static func matches(in text: ScannedText) -> [RedactionMatch] {
    let runs = digitRuns(in: text)
    var found: [RedactionMatch] = []
    for index in runs.indices {
      // Two values in a row ("4111 1111 1111 1111 5500 0000 0000 0004") are two values, even
      // though the second continues the first's grouping.
      let followsMatch = found.last.map { $0.bytes.upperBound + 1 == runs[index].lowerBound } ?? false
      if let match = idNumber(at: index, runs: runs, text: text, followsMatch: followsMatch) {
        found.append(match)
      } else if let match = cardNumber(at: index, runs: runs, text: text, followsMatch: followsMatch) {
        found.append(match)
      }
    }
    return found
  }

  private static func idNumber(at index: Int, runs: [Range<Int>], text: ScannedText, followsMatch: Bool)
    -> RedactionMatch?
  {
    for layout in idLayouts {
      guard let span = span(of: layout, at: index, runs: runs, text: text, followsMatch: followsMatch) else {
        continue
      }
      // A valid ID number also passes Luhn and is 13 digits long: it is read as an ID number
      // first, and only what fails here is offered to the card rules.
      return SouthAfricanIDNumber.isValid(digits(in: span, text: text))
        ? RedactionMatch(kind: .saIdNumber, bytes: span) : nil
    }
    return nil
  }

  private static func cardNumber(at index: Int, runs: [Range<Int>], text: ScannedText, followsMatch: Bool)
    -> RedactionMatch?
  {
    let run = runs[index]
    if (12...19).contains(run.count) {
      guard text.isOpen(before: run.lowerBound), text.isOpen(after: run.upperBound) else { return nil }
      return PaymentCardNumber.isValid(digits(in: run, text: text))
        ? RedactionMatch(kind: .paymentCard, bytes: run) : nil
    }
    for layout in cardLayouts {
      guard let span = span(of: layout, at: index, runs: runs, text: text, followsMatch: followsMatch),
        PaymentCardNumber.isValid(digits(in: span, text: text))
      else { continue }
      return RedactionMatch(kind: .paymentCard, bytes: span)
    }
    return nil
  }

  /// The bytes covered by the runs from `index` if their lengths are exactly `layout`, they
  /// are joined by one byte each, always the same space or dash, and nothing alphanumeric
  /// touches either end.
  ///
  /// A grouped value must also not continue a grouped IBAN: if the token before it, joined by
  /// the same separator, is four letters and digits with a digit among them ("DE89" in
  /// "DE89 3704 0044 0532 0130 00"), the groups belong to the IBAN, and a card number read
  /// from its middle would pass Luhn one time in ten when the IBAN itself is mistyped. The
  /// exception is a value that directly follows another (`followsMatch`).
  private static func span(
    of layout: [Int], at index: Int, runs: [Range<Int>], text: ScannedText, followsMatch: Bool
  ) -> Range<Int>? {
    guard index + layout.count <= runs.count else { return nil }
    var separator: UInt8?
    for (position, length) in layout.enumerated() {
      let run = runs[index + position]
      guard run.count == length else { return nil }
      guard position > 0 else { continue }
      let previous = runs[index + position - 1]
      guard run.lowerBound == previous.upperBound + 1 else { return nil }
      let gap = text.bytes[previous.upperBound]
      guard gap == ScannedText.space || gap == ScannedText.dash, separator == nil || separator == gap else {
        return nil
      }
      separator = gap
    }
    let span = runs[index].lowerBound..<runs[index + layout.count - 1].upperBound
    guard text.isOpen(before: span.lowerBound), text.isOpen(after: span.upperBound) else { return nil }
    if let separator, !followsMatch, text.byte(at: span.lowerBound - 1) == separator,
      isIBANGroup(endingAt: span.lowerBound - 1, text: text)
    {
      return nil
    }
    return span
  }

  /// Whether the token of ASCII letters and digits that ends at `end` is four long and holds
  /// a digit, like a group of a grouped IBAN.
  private static func isIBANGroup(endingAt end: Int, text: ScannedText) -> Bool {
    guard (1...4).allSatisfy({ text.isAlphanumeric(at: end - $0) }), !text.isAlphanumeric(at: end - 5) else {
      return false
    }
    return (1...4).contains { text.isDigit(at: end - $0) }
  }

  /// Every maximal run of ASCII digits, in order.
  private static func digitRuns(in text: ScannedText) -> [Range<Int>] {
    var runs: [Range<Int>] = []
    var offset = 0
    while offset < text.count {
      guard ScannedText.isDigit(text.bytes[offset]) else {
        offset += 1
        continue
      }
      let start = offset
      while offset < text.count, ScannedText.isDigit(text.bytes[offset]) { offset += 1 }
      runs.append(start..<offset)
    }
    return runs
  }

  /// The digit values in `span`, skipping its separators.
  private static func digits(in span: Range<Int>, text: ScannedText) -> [UInt8] {
    text.bytes[span].compactMap { ScannedText.isDigit($0) ? $0 - UInt8(ascii: "0") : nil }
  }
}
