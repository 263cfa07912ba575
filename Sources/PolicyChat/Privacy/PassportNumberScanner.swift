/// Finds South African passport numbers: a letter A, D, M or T and 8 digits, only when the
/// word "passport" (any case, also inside "passports") is within ``window`` characters.
///
/// Without the word, a letter and eight digits is as likely a booking reference or a product
/// code, so the word is what makes it personal data. Letters are accepted in either case,
/// because people type "a12345678" as often as "A12345678".
enum PassportNumberScanner {
  /// How far the word may be from the number, in characters (Unicode scalars) of the gap
  /// between them, before or after.
  static let window = 40

  /// The letters a South African passport number starts with, in either case. A switch
  /// rather than a set: this runs for every byte of a message that mentions a passport.
  private static func isPassportLetter(_ byte: UInt8) -> Bool {
    switch byte | 0x20 {
    case UInt8(ascii: "a"), UInt8(ascii: "d"), UInt8(ascii: "m"), UInt8(ascii: "t"): return true
    default: return false
    }
  }

  static func matches(in text: ScannedText) -> [RedactionMatch] {
    let words = passportWords(in: text)
    guard !words.isEmpty else { return [] }
    var found: [RedactionMatch] = []
    // Index of the first word that starts after the current candidate: the words before it
    // and that one are the only ones that can be nearest, and both sequences only move forward.
    var nextWord = 0
    var offset = 0
    while offset + 9 <= text.count {
      defer { offset += 1 }
      guard isPassportLetter(text.bytes[offset]), text.isOpen(before: offset) else { continue }
      guard (offset + 1...offset + 8).allSatisfy({ text.isDigit(at: $0) }), text.isOpen(after: offset + 9) else {
        continue
      }
      let candidate = offset..<(offset + 9)
      while nextWord < words.count, words[nextWord].lowerBound < candidate.upperBound { nextWord += 1 }
      let before = nextWord > 0 ? words[nextWord - 1] : nil
      let after = nextWord < words.count ? words[nextWord] : nil
      let nearBefore = before.map { isNear($0.upperBound..<candidate.lowerBound, text: text) } ?? false
      let nearAfter = after.map { isNear(candidate.upperBound..<$0.lowerBound, text: text) } ?? false
      if nearBefore || nearAfter { found.append(RedactionMatch(kind: .passport, bytes: candidate)) }
    }
    return found
  }

  private static func isNear(_ gap: Range<Int>, text: ScannedText) -> Bool {
    // No scalar is longer than 4 bytes, so a wider gap is too far without counting.
    gap.count <= 4 * window && text.scalarCount(in: gap, limit: window) <= window
  }

  /// Every place the word "passport" is written, in any case, in order.
  private static func passportWords(in text: ScannedText) -> [Range<Int>] {
    let word = Array("passport".utf8)
    var found: [Range<Int>] = []
    var offset = 0
    while offset + word.count <= text.count {
      if text.bytes[offset] | 0x20 == word[0],
        (1..<word.count).allSatisfy({ text.bytes[offset + $0] | 0x20 == word[$0] })
      {
        found.append(offset..<(offset + word.count))
        offset += word.count
      } else {
        offset += 1
      }
    }
    return found
  }
}
