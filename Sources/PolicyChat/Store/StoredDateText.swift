import Foundation
import GRDB

/// A date as the SQLite store writes it: GRDB's "yyyy-MM-dd HH:mm:ss.SSS" in UTC, the
/// text `Date.databaseValue` makes, but without its `DateFormatter`. Formatting through
/// ICU was about half of the cost of writing a turn's record (perf, issue 18), and every
/// session and turn writes two or three dates.
enum StoredDateText {
  /// The text for `date`; GRDB's own for a year it would not write with four digits.
  static func databaseValue(_ date: Date) -> DatabaseValue {
    // As Foundation hands it to ICU: milliseconds since 1970, to the nearest one, a half up.
    let milliseconds = ((date.timeIntervalSinceReferenceDate + 978_307_200) * 1000 + 0.5).rounded(.down)
    // Years 1000 to 9999 only: outside them the padding and era are GRDB's business.
    guard milliseconds >= -30_610_224_000_000, milliseconds < 253_402_300_800_000 else {
      return date.databaseValue
    }
    let total = Int64(milliseconds)
    let (days, dayMilliseconds) = floorDivision(total, 86_400_000)
    let (year, month, day) = civil(fromDays: days)
    let hours = dayMilliseconds / 3_600_000
    let minutes = dayMilliseconds / 60_000 % 60
    let seconds = dayMilliseconds / 1000 % 60
    let fraction = dayMilliseconds % 1000
    var text = ""
    text.reserveCapacity(23)
    for (number, width, separator) in [
      (year, 4, "-"), (month, 2, "-"), (day, 2, " "), (hours, 2, ":"), (minutes, 2, ":"), (seconds, 2, "."),
      (fraction, 3, ""),
    ] {
      append(number, width: width, to: &text)
      text += separator
    }
    return text.databaseValue
  }

  private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
    let quotient = value / divisor
    let remainder = value % divisor
    return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
  }

  /// The proleptic Gregorian date of a day counted from 1970-01-01 (H. Hinnant's
  /// `civil_from_days`).
  private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  private static func append(_ number: Int64, width: Int, to text: inout String) {
    let digits = String(number)
    if digits.utf8.count < width { text += String(repeating: "0", count: width - digits.utf8.count) }
    text += digits
  }
}
