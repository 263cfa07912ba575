import Foundation

/// A case-insensitive regular expression from a data file, with the literals that any
/// match must contain (``RequiredLiterals``): most patterns cannot match a given message,
/// and a byte search says so without starting ICU.
struct TextPattern: Sendable {
  let source: String
  let regex: NSRegularExpression
  /// Lower-case ASCII; nil when the pattern has to be tried on every text.
  let literals: [Literal]?

  init(_ source: String) throws {
    self.source = source
    regex = try NSRegularExpression(pattern: source, options: [.caseInsensitive])
    literals = RequiredLiterals.of(source).map { $0.map(Literal.init) }
  }

  func matches(_ text: MatchText) -> Bool {
    if let literals, let folded = text.folded, !literals.contains(where: { folded.contains($0) }) {
      return false
    }
    return regex.firstMatch(in: text.string, range: text.range) != nil
  }

  /// A literal and where its opening bytes fall in ``FoldedBytes``'s gram filter.
  struct Literal: Sendable {
    let bytes: [UInt8]
    let gram: Int

    init(_ text: String) {
      bytes = Array(text.utf8)
      gram = FoldedBytes.gram(of: bytes[...])
    }
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

/// Bytes to search for literals in, with a filter of the grams they hold.
///
/// A turn asks whether each of a few thousand literals occurs in a short message; a scan
/// for each was a seventh of a turn. Every run of one, two and three bytes of the message
/// sets a bit (hashed) in `grams`; a literal whose first three bytes (or fewer, if it is
/// shorter) left no bit cannot occur, which one bit test tells. A set bit only means
/// "maybe": the bytes are then compared.
struct FoldedBytes: Sendable {
  let bytes: [UInt8]
  private let grams: [UInt64]

  private static let words = 256

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
    var grams = [UInt64](repeating: 0, count: Self.words)
    for start in bytes.indices {
      for length in 1...3 where start + length <= bytes.count {
        let bit = Self.gram(of: bytes[start..<(start + length)])
        grams[bit >> 6] |= 1 << UInt64(bit & 63)
      }
    }
    self.grams = grams
  }

  /// The filter bit of a literal's first one to three bytes.
  static func gram(of bytes: ArraySlice<UInt8>) -> Int {
    let prefix = bytes.prefix(3)
    var hash = prefix.count
    for byte in prefix { hash = (hash &* 257) &+ Int(byte) }
    return (hash &* 0x9E37_79B1) >> 7 & (words * 64 - 1)
  }

  func contains(_ literal: TextPattern.Literal) -> Bool {
    let needle = literal.bytes
    guard !needle.isEmpty else { return true }
    guard needle.count <= bytes.count, grams[literal.gram >> 6] & (1 << UInt64(literal.gram & 63)) != 0 else {
      return false
    }
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
