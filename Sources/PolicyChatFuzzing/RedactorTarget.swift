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
    for (kind, value) in values {
      // However a scanner reads the context of a second copy (a passport number away from
      // its word, card digits after an IBAN-like group: the regressions), a value found
      // once is redacted wherever it stands on its own.
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

  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || (0x09...0x0D).contains(byte)
  }
}
