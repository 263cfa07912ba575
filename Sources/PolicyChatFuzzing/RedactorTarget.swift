import PolicyChat

/// Chat messages through the redactor, checking what every redaction must satisfy: the
/// findings describe the original text exactly, the output is the text with each finding
/// replaced by its placeholder, and a value it found is not left readable elsewhere.
enum RedactorTarget {
  static func run(_ text: String) {
    let redaction = Redactor().redact(text)
    guard !redaction.findings.isEmpty else {
      require(redaction.text == text, "text changed with nothing found")
      return
    }
    var rebuilt = ""
    var copied = text.startIndex
    var values: [(PersonalDataKind, [UInt8])] = []
    for finding in redaction.findings {
      let range = finding.range
      require(copied <= range.lowerBound && range.lowerBound < range.upperBound, "findings overlap or are empty")
      require(range.upperBound <= text.endIndex, "a finding beyond the text")
      require(
        range.lowerBound.samePosition(in: text.unicodeScalars) != nil
          && range.upperBound.samePosition(in: text.unicodeScalars) != nil,
        "a finding that splits a character")
      // Not "begins and ends with ASCII": an e-mail address may start with "Ü" or end in a
      // non-ASCII top-level domain (fuzz/regressions/redactor/email-non-ascii-local-part.txt).
      let value = Array(text.utf8[range])
      rebuilt += text[copied..<range.lowerBound] + finding.kind.placeholder
      copied = range.upperBound
      values.append((finding.kind, value))
    }
    rebuilt += text[copied...]
    require(rebuilt == redaction.text, "the redacted text is not the text with its findings replaced")
    let output = Array(redaction.text.utf8)
    for (kind, value) in values where kind != .passport {
      // A passport number is personal data only near the word "passport", so the same
      // letters and digits elsewhere are rightly kept.
      require(!standsAlone(value, in: output), "a \(kind.rawValue) it found is still readable in the output")
    }
  }

  /// Whether `value` occurs in `text` set off by whitespace (or the text's ends) that is not
  /// followed by more of a number, where any scanner would read it on its own.
  private static func standsAlone(_ value: [UInt8], in text: [UInt8]) -> Bool {
    guard value.count <= text.count else { return false }
    var start = 0
    while start + value.count <= text.count {
      defer { start += 1 }
      guard text[start..<(start + value.count)].elementsEqual(value) else { continue }
      // By design, digit groups after a four-character group holding a digit are read as
      // the middle of a grouped IBAN and kept ("34rd 4111 1111 1111 1111"), even when the
      // same number stands redacted elsewhere (fuzz/regressions/redactor/card-after-iban-like-group.txt).
      if followsIBANLikeGroup(text, start) { continue }
      if isOpen(text, at: start - 1, step: -1) && isOpen(text, at: start + value.count, step: 1) { return true }
    }
    return false
  }

  /// The text ends at `offset`, or has whitespace there with no digit, `+` or bracket beyond.
  private static func isOpen(_ text: [UInt8], at offset: Int, step: Int) -> Bool {
    guard text.indices.contains(offset) else { return true }
    guard isSpace(text[offset]) else { return false }
    let beyond = offset + step
    guard text.indices.contains(beyond) else { return true }
    let byte = text[beyond]
    return !isSpace(byte) && !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
      && !"+()-.".utf8.contains(byte)
  }

  /// Whether `start` follows a separator and four ASCII letters and digits, one a digit, as
  /// `DigitGroupScanner` tests before reading a grouped number.
  private static func followsIBANLikeGroup(_ text: [UInt8], _ start: Int) -> Bool {
    guard start >= 5, text[start - 1] == 0x20 || text[start - 1] == UInt8(ascii: "-") else { return false }
    let group = text[(start - 5)..<(start - 1)]
    let isAlphanumeric = { (byte: UInt8) in
      (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A || (0x30...0x39).contains(byte)
    }
    guard group.allSatisfy(isAlphanumeric), group.contains(where: { (0x30...0x39).contains($0) }) else { return false }
    return start < 6 || !isAlphanumeric(text[start - 6])
  }

  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || (0x09...0x0D).contains(byte)
  }
}
