import Foundation

/// A case-insensitive regular expression from a data file, with the literals that any
/// match must contain (``RequiredLiterals``): most patterns cannot match a given message,
/// and a byte search says so without starting ICU.
struct TextPattern: Sendable {
  let source: String
  let regex: NSRegularExpression
  /// Lower-case ASCII; nil when the pattern has to be tried on every text.
  let literals: [[UInt8]]?

  init(_ source: String) throws {
    self.source = source
    regex = try NSRegularExpression(pattern: source, options: [.caseInsensitive])
    literals = RequiredLiterals.of(source).map { $0.map { Array($0.utf8) } }
  }

  func matches(_ text: MatchText) -> Bool {
    if let literals, let folded = text.folded, !literals.contains(where: { folded.contains($0) }) {
      return false
    }
    return regex.firstMatch(in: text.string, range: text.range) != nil
  }
}

/// A text prepared once for trying many patterns on it.
struct MatchText: Sendable {
  let string: String
  let range: NSRange
  /// The text lower-cased, when it is all ASCII. Other text always goes to the regular
  /// expression: ICU's case folding can match an ASCII pattern with other letters
  /// ("ſ" with "s", the Kelvin sign with "k").
  let folded: FoldedBytes?

  init(_ string: String) {
    self.string = string
    range = NSRange(string.startIndex..., in: string)
    folded = string.utf8.allSatisfy { $0 < 0x80 } ? FoldedBytes(string.utf8.map { Self.lowercase($0) }) : nil
  }

  private static func lowercase(_ byte: UInt8) -> UInt8 {
    (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
  }
}

/// Bytes to search for literals in.
struct FoldedBytes: Sendable {
  let bytes: [UInt8]

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  func contains(_ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty else { return true }
    guard needle.count <= bytes.count else { return false }
    // Messages are short: a scan for the first byte and a compare beats any set-up.
    return bytes.withUnsafeBufferPointer { haystack in
      needle.withUnsafeBufferPointer { wanted in
        let first = wanted[0]
        let rest = wanted.count - 1
        var start = 0
        while start + rest < haystack.count {
          if haystack[start] == first {
            var offset = 1
            while offset <= rest && haystack[start + offset] == wanted[offset] { offset += 1 }
            if offset > rest { return true }
          }
          start += 1
        }
        return false
      }
    }
  }
}
