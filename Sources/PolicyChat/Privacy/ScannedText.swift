/// A message as UTF-8 bytes, with the character tests every scanner shares.
///
/// Tests past either end answer `false` rather than trapping, so that a scanner can look one
/// byte beyond a candidate without checking bounds first.
struct ScannedText {
  let bytes: [UInt8]

  init(_ text: String) {
    bytes = Array(text.utf8)
  }

  var count: Int { bytes.count }

  func byte(at offset: Int) -> UInt8? {
    offset >= 0 && offset < bytes.count ? bytes[offset] : nil
  }

  func isDigit(at offset: Int) -> Bool {
    guard let byte = byte(at: offset) else { return false }
    return Self.isDigit(byte)
  }

  func isLetter(at offset: Int) -> Bool {
    guard let byte = byte(at: offset) else { return false }
    return Self.isLetter(byte)
  }

  func isAlphanumeric(at offset: Int) -> Bool {
    guard let byte = byte(at: offset) else { return false }
    return Self.isDigit(byte) || Self.isLetter(byte)
  }

  /// Whether `literal` (ASCII) is written at `offset`, exactly as given.
  func has(_ literal: String, at offset: Int) -> Bool {
    var cursor = offset
    for expected in literal.utf8 {
      guard byte(at: cursor) == expected else { return false }
      cursor += 1
    }
    return true
  }

  /// Whether a value may begin at `start`: no ASCII letter or digit touches it, and it does not
  /// follow a decimal point ("0.4111…" is a fraction, not a card).
  ///
  /// Letters count because a number glued to letters is part of a code (an IBAN, a product
  /// code), where the digits alone would only pass a checksum by chance.
  func isOpen(before start: Int) -> Bool {
    if isAlphanumeric(at: start - 1) { return false }
    return !(byte(at: start - 1) == Self.dot && isDigit(at: start - 2))
  }

  /// Whether a value may end at `end`, with the same reasoning as ``isOpen(before:)``.
  func isOpen(after end: Int) -> Bool {
    if isAlphanumeric(at: end) { return false }
    return !(byte(at: end) == Self.dot && isDigit(at: end + 1))
  }

  /// The number of Unicode scalars in `range`, counted only up to `limit + 1`.
  ///
  /// "Within 40 characters" is about what a person sees, not bytes; the cap keeps the count
  /// cheap when the answer is plainly "too far".
  func scalarCount(in range: Range<Int>, limit: Int) -> Int {
    var count = 0
    for offset in range where bytes[offset] & 0xC0 != 0x80 {
      count += 1
      if count > limit { break }
    }
    return count
  }

  /// The end of the scalar at `offset` if it is a letter or digit outside ASCII (é, ß, ü, 中).
  ///
  /// E-mail addresses may hold such characters; a plain byte test would either cut the address
  /// short and leak the rest, or swallow punctuation such as curly quotes.
  func nonASCIIAlphanumericEnd(at offset: Int) -> Int? {
    guard let lead = byte(at: offset), lead >= 0x80 else { return nil }
    let length: Int
    var value: UInt32
    switch lead {
    case 0xC0..<0xE0: (length, value) = (2, UInt32(lead & 0x1F))
    case 0xE0..<0xF0: (length, value) = (3, UInt32(lead & 0x0F))
    case 0xF0..<0xF8: (length, value) = (4, UInt32(lead & 0x07))
    default: return nil
    }
    guard offset + length <= bytes.count else { return nil }
    for next in bytes[(offset + 1)..<(offset + length)] {
      guard next & 0xC0 == 0x80 else { return nil }
      value = value << 6 | UInt32(next & 0x3F)
    }
    guard let scalar = Unicode.Scalar(value) else { return nil }
    let properties = scalar.properties
    return properties.isAlphabetic || properties.numericType != nil ? offset + length : nil
  }

  /// The start of the scalar that ends at `end` if it is a letter or digit outside ASCII.
  func nonASCIIAlphanumericStart(endingAt end: Int) -> Int? {
    var start = end - 1
    while start > 0, end - start < 4, let byte = byte(at: start), byte & 0xC0 == 0x80 { start -= 1 }
    return nonASCIIAlphanumericEnd(at: start) == end ? start : nil
  }

  static let dot = UInt8(ascii: ".")
  static let space = UInt8(ascii: " ")
  static let dash = UInt8(ascii: "-")

  static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  static func isLetter(_ byte: UInt8) -> Bool {
    (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
  }

  /// The letter in upper case; any other byte unchanged.
  static func uppercased(_ byte: UInt8) -> UInt8 {
    isLetter(byte) ? byte & ~0x20 : byte
  }
}
