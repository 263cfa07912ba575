/// The rules of a South African identity number: YYMMDD SSSS C A Z (compliance.md §7).
enum SouthAfricanIDNumber {
  /// Whether 13 digits (values 0-9) are a possible ID number: YYMMDD a real date in either
  /// century, C (the 11th digit) 0 or 1, and Z a Luhn check digit over all 13.
  ///
  /// The 12th digit (A) is not checked: it was a race marker under apartheid and is usually 8
  /// now, but older numbers carry 9 and no rule we rely on fixes it.
  static func isValid(_ digits: [UInt8]) -> Bool {
    guard digits.count == 13 else { return false }
    let year = Int(digits[0]) * 10 + Int(digits[1])
    let month = Int(digits[2]) * 10 + Int(digits[3])
    let day = Int(digits[4]) * 10 + Int(digits[5])
    guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, twoDigitYear: year) else { return false }
    guard digits[10] <= 1 else { return false }
    return Checksums.passesLuhn(digits)
  }

  /// Days in `month` of a year known only by its last two digits.
  ///
  /// 29 February counts when either 19YY or 20YY was a leap year. Both are leap years exactly
  /// when YY is a multiple of 4: 1900 was not, but 2000 was, so "00" allows it too.
  private static func daysIn(month: Int, twoDigitYear year: Int) -> Int {
    switch month {
    case 2: return year % 4 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}
