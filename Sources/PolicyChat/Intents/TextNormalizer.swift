import Foundation

/// The one way text is cleaned before anything is matched against it.
enum TextNormalizer {
  /// Lowercase, without accents or apostrophes ("What’s" → "whats"), every other
  /// non-alphanumeric character turned into a space, whitespace collapsed.
  static func normalize(_ text: String) -> String {
    // Most messages and data are plain ASCII, where folding is lowercasing and a letter
    // is a byte: ICU's folding and Unicode's character properties were the costliest
    // steps of start-up and of a turn, so they are kept for other text.
    text.utf8.allSatisfy({ $0 < 0x80 }) ? normalizeASCII(text) : normalizeUnicode(text)
  }

  /// Folding case, accents and width with ICU, then sorting by Unicode's properties.
  static func normalizeUnicode(_ text: String) -> String {
    let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    var result = ""
    result.reserveCapacity(folded.utf8.count)
    var pendingSpace = false
    for character in folded {
      if character == "'" || character == "\u{2019}" || character == "`" {
        continue
      }
      if character.isLetter || character.isNumber {
        if pendingSpace && !result.isEmpty { result.append(" ") }
        pendingSpace = false
        result.append(character)
      } else {
        pendingSpace = true
      }
    }
    return result
  }

  /// ``normalize(_:)`` for ASCII text, byte by byte, with the same result.
  static func normalizeASCII(_ text: String) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    var pendingSpace = false
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "'"), UInt8(ascii: "`"):
        continue
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
        UInt8(ascii: "A")...UInt8(ascii: "Z"):
        if pendingSpace && !bytes.isEmpty { bytes.append(UInt8(ascii: " ")) }
        pendingSpace = false
        bytes.append(byte | 0x20)  // lower case; digits already have the bit
      default:
        pendingSpace = true
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  static func words(_ normalized: String) -> [String] {
    normalized.split(separator: " ").map(String.init)
  }

  /// A rough stem for looking words up in the lexicon ("deleting" → "delet"), so that one
  /// synonym entry covers a word's usual forms. The search index does real (porter)
  /// stemming itself.
  static func roughStem(_ word: String) -> String {
    for suffix in ["ing", "ed", "es", "s", "e"] where word.count - suffix.count >= 3 && word.hasSuffix(suffix) {
      return String(word.dropLast(suffix.count))
    }
    return word
  }
}
