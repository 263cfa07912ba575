/// Finds South African phone numbers: +27, 0027 or a leading 0, then 9 digits whose first is
/// 1-8 (geographic 01x-05x, mobile 06x-08x).
///
/// Written forms: "082 555 1234", "0825551234", "082-555-1234", "082.555.1234",
/// "(021) 555 1234", "+27 82 555 1234", "+27825551234", "0027825551234", "+27 (0)82 555 1234",
/// "+27 082 555 1234", "082 555 12 34". The 9 digits must be grouped as one of ``layouts``:
/// allowing any grouping would make dates such as "01.02.2026 10:00" read as a 0 and 9 digits.
enum PhoneNumberScanner {
  /// Groupings of the 9 digits after the prefix (the trunk 0 counts with the first group, so
  /// "082 555 1234" is 2-3-4).
  private static let layouts: [[Int]] = [[9], [2, 7], [2, 3, 4], [2, 3, 2, 2], [3, 3, 3]]

  static func matches(in text: ScannedText) -> [RedactionMatch] {
    var found: [RedactionMatch] = []
    var offset = 0
    while offset < text.count {
      // Most bytes cannot start a number; checking that here, before the call, is most of the
      // difference in speed on ordinary text.
      let byte = text.bytes[offset]
      if byte == zero || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "("),
        let end = phoneEnd(startingAt: offset, text: text)
      {
        found.append(RedactionMatch(kind: .phone, bytes: offset..<end))
        offset = end
      } else {
        offset += 1
      }
    }
    return found
  }

  /// The end of a phone number that starts at `start`, if one does. Reads at most about 25
  /// bytes, so trying every offset stays linear.
  private static func phoneEnd(startingAt start: Int, text: ScannedText) -> Int? {
    guard let first = text.byte(at: start), first == UInt8(ascii: "(") || first == UInt8(ascii: "+") || first == zero
    else { return nil }
    guard text.isOpen(before: start) else { return nil }
    var cursor = start
    var bracketOpen = false
    if first == UInt8(ascii: "(") {
      bracketOpen = true
      cursor += 1
    }
    if text.has("+27", at: cursor) || text.has("0027", at: cursor) {
      cursor += text.byte(at: cursor) == zero ? 4 : 3
      if bracketOpen, text.byte(at: cursor) == closingBracket {
        bracketOpen = false
        cursor += 1
      }
      cursor = skippingSeparator(at: cursor, text: text)
      // "+27 (0)82 …" and the common slip "+27 082 …" keep the national trunk 0.
      if text.has("(0)", at: cursor) {
        cursor = skippingSeparator(at: cursor + 3, text: text)
      } else if text.byte(at: cursor) == zero, text.isDigit(at: cursor + 1) {
        cursor += 1
      }
    } else if text.byte(at: cursor) == zero {
      cursor += 1
    } else {
      return nil
    }
    guard let firstDigit = text.byte(at: cursor), firstDigit >= UInt8(ascii: "1"), firstDigit <= UInt8(ascii: "8")
    else {
      return nil
    }
    var groups: [Int] = []
    var total = 0
    while total < 9 {
      let groupStart = cursor
      while text.isDigit(at: cursor) { cursor += 1 }
      let length = cursor - groupStart
      guard length > 0 else { return nil }
      groups.append(length)
      total += length
      guard total < 9 else { break }
      if bracketOpen {
        // "(021) 555 1234": the bracket closes after the area code and nowhere else.
        guard groups.count == 1, text.byte(at: cursor) == closingBracket else { return nil }
        bracketOpen = false
        cursor = skippingSeparator(at: cursor + 1, text: text)
        continue
      }
      guard isSeparator(text.byte(at: cursor)), text.isDigit(at: cursor + 1) else { return nil }
      cursor += 1
    }
    guard total == 9, !bracketOpen, layouts.contains(groups), text.isOpen(after: cursor) else { return nil }
    return cursor
  }

  private static let zero = UInt8(ascii: "0")
  private static let closingBracket = UInt8(ascii: ")")

  private static func isSeparator(_ byte: UInt8?) -> Bool {
    byte == ScannedText.space || byte == ScannedText.dash || byte == ScannedText.dot
  }

  private static func skippingSeparator(at offset: Int, text: ScannedText) -> Int {
    isSeparator(text.byte(at: offset)) ? offset + 1 : offset
  }
}
