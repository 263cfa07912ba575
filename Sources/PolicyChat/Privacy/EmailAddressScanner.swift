/// Finds e-mail addresses of the usual shape: local@domain.tld.
///
/// The local part is letters, digits and `. _ % + -`; the domain is two or more labels of
/// letters, digits and hyphens, the last all letters and at least two long. Letters outside
/// ASCII count in both ("josé@exämple.de"). Quoted local parts and bare IP addresses are not
/// recognised: people do not type them into a chat.
enum EmailAddressScanner {
  static func matches(in text: ScannedText) -> [RedactionMatch] {
    var found: [RedactionMatch] = []
    // Everything before `floor` already belongs to an address, so no local part reaches back
    // into it; each byte is then read at most twice (once from the @ on either side of it),
    // which keeps a text full of @ signs linear.
    var floor = 0
    for at in 0..<text.count where text.bytes[at] == UInt8(ascii: "@") && at >= floor {
      let start = localPartStart(before: at, floor: floor, text: text)
      guard start < at, let end = domainEnd(after: at, text: text) else { continue }
      found.append(RedactionMatch(kind: .email, bytes: start..<end))
      floor = end
    }
    return found
  }

  private static func localPartStart(before at: Int, floor: Int, text: ScannedText) -> Int {
    var start = at
    while start > floor {
      if let byte = text.byte(at: start - 1), byte < 0x80 {
        guard ScannedText.isDigit(byte) || ScannedText.isLetter(byte) || isLocalPunctuation(byte) else { break }
        start -= 1
      } else if let previous = text.nonASCIIAlphanumericStart(endingAt: start), previous >= floor {
        start = previous
      } else {
        break
      }
    }
    // An address does not begin with a dot: "…bob@example.com" is bob's address.
    while start < at, text.byte(at: start) == ScannedText.dot { start += 1 }
    return start
  }

  /// The end of the domain that starts after the @, if it has the shape of one.
  private static func domainEnd(after at: Int, text: ScannedText) -> Int? {
    var cursor = at + 1
    var labels = 0
    var lastLabel = cursor..<cursor
    while true {
      let labelStart = cursor
      while let next = labelCharacterEnd(at: cursor, text: text) { cursor = next }
      guard cursor > labelStart else { break }
      labels += 1
      lastLabel = labelStart..<cursor
      // A dot continues the domain only if a label follows: "mail bob@example.com." ends a sentence.
      guard text.byte(at: cursor) == ScannedText.dot, labelCharacterEnd(at: cursor + 1, text: text) != nil else {
        break
      }
      cursor += 1
    }
    guard labels >= 2, isTopLevelDomain(lastLabel, text: text) else { return nil }
    return lastLabel.upperBound
  }

  /// The end of a domain-label character at `offset`: a letter, a digit or a hyphen.
  private static func labelCharacterEnd(at offset: Int, text: ScannedText) -> Int? {
    if text.isAlphanumeric(at: offset) || text.byte(at: offset) == ScannedText.dash { return offset + 1 }
    return text.nonASCIIAlphanumericEnd(at: offset)
  }

  /// Letters only and at least two of them; so "npm@1.2.3" or "a@b.c" are not addresses.
  private static func isTopLevelDomain(_ label: Range<Int>, text: ScannedText) -> Bool {
    var offset = label.lowerBound
    var letters = 0
    while offset < label.upperBound {
      if text.isLetter(at: offset) {
        offset += 1
      } else if let next = text.nonASCIIAlphanumericEnd(at: offset), !text.isDigit(at: offset) {
        offset = next
      } else {
        return false
      }
      letters += 1
    }
    return letters >= 2
  }

  /// The punctuation allowed in a local part besides letters and digits.
  private static func isLocalPunctuation(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "-"): return true
    default: return false
    }
  }
}
