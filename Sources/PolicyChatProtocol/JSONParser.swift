/// A strict RFC 8259 reader of one JSON text into a ``JSONValue``.
///
/// Foundation's `JSONDecoder` reached a `JSONValue` by trial: a string was first tried as
/// a boolean, an integer and a number, each failure building an error with its coding
/// path, which made reading a request cost as much as writing the answer. This reads the
/// bytes once. Nesting is limited, so a line of ten thousand `[` cannot exhaust the stack.
enum JSONParser {
  struct Failure: Error, Equatable {
    /// Byte offset where the text stops being JSON.
    var offset: Int
  }

  static let maximumDepth = 256

  static func parse(_ buffer: [UInt8]) throws(Failure) -> JSONValue {
    var reader = Reader(bytes: buffer)
    reader.skipWhitespace()
    let value = try reader.value(depth: 0)
    reader.skipWhitespace()
    guard reader.position == buffer.count else { throw Failure(offset: reader.position) }
    return value
  }

  private struct Reader {
    let bytes: [UInt8]
    var position = 0

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private func failure() -> Failure { Failure(offset: position) }

    mutating func skipWhitespace() {
      while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
        position += 1
      }
    }

    mutating func value(depth: Int) throws(Failure) -> JSONValue {
      guard depth < JSONParser.maximumDepth, let byte = current else { throw failure() }
      switch byte {
      case UInt8(ascii: "{"): return try object(depth: depth + 1)
      case UInt8(ascii: "["): return try array(depth: depth + 1)
      case UInt8(ascii: "\""): return .string(try string())
      case UInt8(ascii: "t"): return try literal("true", .bool(true))
      case UInt8(ascii: "f"): return try literal("false", .bool(false))
      case UInt8(ascii: "n"): return try literal("null", .null)
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
      default: throw failure()
      }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(Failure) -> JSONValue {
      let count = word.utf8CodeUnitCount
      guard position + count <= bytes.count else { throw failure() }
      let matches = word.withUTF8Buffer { expected in
        (0..<count).allSatisfy { bytes[position + $0] == expected[$0] }
      }
      guard matches else { throw failure() }
      position += count
      return value
    }

    private mutating func object(depth: Int) throws(Failure) -> JSONValue {
      position += 1
      var fields: [String: JSONValue] = [:]
      skipWhitespace()
      if current == UInt8(ascii: "}") {
        position += 1
        return .object(fields)
      }
      while true {
        skipWhitespace()
        guard current == UInt8(ascii: "\"") else { throw failure() }
        let key = try string()
        skipWhitespace()
        guard current == UInt8(ascii: ":") else { throw failure() }
        position += 1
        skipWhitespace()
        let item = try value(depth: depth)
        // A repeated name keeps its first value, as Foundation's decoder did.
        if fields[key] == nil { fields[key] = item }
        skipWhitespace()
        switch current {
        case UInt8(ascii: ",")?: position += 1
        case UInt8(ascii: "}")?:
          position += 1
          return .object(fields)
        default: throw failure()
        }
      }
    }

    private mutating func array(depth: Int) throws(Failure) -> JSONValue {
      position += 1
      var items: [JSONValue] = []
      skipWhitespace()
      if current == UInt8(ascii: "]") {
        position += 1
        return .array(items)
      }
      while true {
        skipWhitespace()
        items.append(try value(depth: depth))
        skipWhitespace()
        switch current {
        case UInt8(ascii: ",")?: position += 1
        case UInt8(ascii: "]")?:
          position += 1
          return .array(items)
        default: throw failure()
        }
      }
    }

    /// A string from its opening quote; the bytes are valid UTF-8 already (the line was
    /// validated), so only escapes and control characters need care.
    private mutating func string() throws(Failure) -> String {
      position += 1
      let start = position
      // The common case: no escapes, so the text is a slice of the line.
      while let byte = current, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
        guard byte >= 0x20 else { throw failure() }
        position += 1
      }
      guard let stop = current else { throw failure() }
      if stop == UInt8(ascii: "\"") {
        position += 1
        return String(decoding: bytes[start..<(position - 1)], as: UTF8.self)
      }
      var text = Array(bytes[start..<position])
      while let byte = current {
        position += 1
        switch byte {
        case UInt8(ascii: "\""):
          return String(decoding: text, as: UTF8.self)
        case UInt8(ascii: "\\"):
          try escape(into: &text)
        case ..<0x20:
          position -= 1
          throw failure()
        default:
          text.append(byte)
        }
      }
      throw failure()
    }

    private mutating func escape(into text: inout [UInt8]) throws(Failure) {
      guard let byte = current else { throw failure() }
      position += 1
      switch byte {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(byte)
      case UInt8(ascii: "b"): text.append(0x08)
      case UInt8(ascii: "f"): text.append(0x0C)
      case UInt8(ascii: "n"): text.append(0x0A)
      case UInt8(ascii: "r"): text.append(0x0D)
      case UInt8(ascii: "t"): text.append(0x09)
      case UInt8(ascii: "u"):
        var scalar = try hex4()
        if (0xD800..<0xDC00).contains(scalar) {
          // A high surrogate must be followed by an escaped low one.
          guard current == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u")
          else { throw failure() }
          position += 2
          let low = try hex4()
          guard (0xDC00..<0xE000).contains(low) else { throw failure() }
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(scalar) {
          throw failure()
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw failure() }
        text.append(contentsOf: String(Character(unicode)).utf8)
      default:
        position -= 1
        throw failure()
      }
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
      guard position + 4 <= bytes.count else { throw failure() }
      var value: UInt32 = 0
      for _ in 0..<4 {
        let byte = bytes[position]
        let digit: UInt8
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
        default: throw failure()
        }
        value = value << 4 | UInt32(digit)
        position += 1
      }
      return value
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`: an integer when it has neither
    /// fraction nor exponent and fits, else a double.
    private mutating func number() throws(Failure) -> JSONValue {
      let start = position
      if current == UInt8(ascii: "-") { position += 1 }
      guard let first = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { throw failure() }
      position += 1
      if first != UInt8(ascii: "0") { skipDigits() }
      var isInteger = true
      if current == UInt8(ascii: ".") {
        isInteger = false
        position += 1
        guard digits() else { throw failure() }
      }
      if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
        isInteger = false
        position += 1
        if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
        guard digits() else { throw failure() }
      }
      let text = String(decoding: bytes[start..<position], as: UTF8.self)
      if isInteger, let value = Int(text) { return .integer(value) }
      guard let value = Double(text), value.isFinite else { throw Failure(offset: start) }
      return .number(value)
    }

    private mutating func skipDigits() {
      while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { position += 1 }
    }

    /// Whether at least one digit was read.
    private mutating func digits() -> Bool {
      let start = position
      skipDigits()
      return position > start
    }
  }
}
