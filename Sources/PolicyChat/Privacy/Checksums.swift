/// The check-digit schemes that tell a real identifier from a number that merely looks like one.
enum Checksums {
  /// Whether `digits` (values 0-9, check digit last) pass the Luhn check, as card numbers and
  /// South African ID numbers do.
  static func passesLuhn<Digits: BidirectionalCollection>(_ digits: Digits) -> Bool where Digits.Element == UInt8 {
    var sum = 0
    var doubled = false
    for digit in digits.reversed() {
      var value = Int(digit)
      if doubled {
        value *= 2
        if value > 9 { value -= 9 }
      }
      sum += value
      doubled.toggle()
    }
    return sum % 10 == 0
  }

  /// The ISO 7064 MOD 97-10 remainder of an IBAN given as upper-case ASCII letters and digits,
  /// or `nil` if it holds anything else. A valid IBAN leaves 1.
  ///
  /// The first four characters are read last and letters count as 10-35, as the standard says;
  /// reducing after every character keeps the arithmetic in an `Int` for any length.
  static func ibanRemainder(_ characters: [UInt8]) -> Int? {
    guard characters.count > 4 else { return nil }
    var remainder = 0
    for character in characters[4...] + characters[..<4] {
      if ScannedText.isDigit(character) {
        remainder = (remainder * 10 + Int(character - UInt8(ascii: "0"))) % 97
      } else if character >= UInt8(ascii: "A") && character <= UInt8(ascii: "Z") {
        remainder = (remainder * 100 + Int(character - UInt8(ascii: "A")) + 10) % 97
      } else {
        return nil
      }
    }
    return remainder
  }
}
