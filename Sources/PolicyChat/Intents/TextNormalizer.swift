import Foundation

/// The one way text is cleaned before anything is matched against it.
enum TextNormalizer {
  /// Lowercase, without accents or apostrophes ("What’s" → "whats"), every other
  /// non-alphanumeric character turned into a space, whitespace collapsed.
  static func normalize(_ text: String) -> String {
    // Most messages and data are plain ASCII, where folding is lowercasing: ICU's folding
    // is the costliest step of start-up and of a turn, so it is kept for other text.
    let folded =
      text.utf8.allSatisfy { $0 < 0x80 }
      ? text.lowercased()
      : text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
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
