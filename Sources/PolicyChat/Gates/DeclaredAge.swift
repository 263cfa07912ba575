import Foundation

/// What a person said when asked for their date of birth: a date, a month and year, or an
/// age. Parsed without hinting at any cut-off, and checked for dates that cannot be.
public enum DeclaredAge: Sendable, Equatable {
  case birthDate(year: Int, month: Int, day: Int)
  /// Month and year only: the age is taken as the youngest the person can be.
  case birthMonth(year: Int, month: Int)
  case age(Int)

  /// Why an answer was not accepted; each asks again politely.
  public enum Problem: Error, Sendable, Equatable {
    /// Not a date or an age ("purple").
    case unreadable
    /// A day that does not exist (31 February).
    case impossibleDate
    /// A date after today.
    case future
    /// An age over 120 or under 4, or a birth date that would make one.
    case implausible
  }

  /// The person's age in whole years at `now` (UTC calendar).
  public func age(at now: Date) -> Int {
    let calendar = Self.calendar
    let today = calendar.dateComponents([.year, .month, .day], from: now)
    let (year, month, day): (Int, Int, Int)
    switch self {
    case .age(let years): return years
    case .birthDate(let y, let m, let d): (year, month, day) = (y, m, d)
    case .birthMonth(let y, let m): (year, month, day) = (y, m, Self.daysIn(month: m, year: y))
    }
    var age = (today.year ?? year) - year
    if (today.month ?? 1, today.day ?? 1) < (month, day) { age -= 1 }
    return age
  }

  /// Reads an answer; `now` decides what is in the future.
  public static func parse(_ text: String, now: Date) -> Result<DeclaredAge, Problem> {
    let words = text.lowercased()
      .replacingOccurrences(of: "’", with: "'")
      .replacingOccurrences(of: "'", with: "")
      .replacingOccurrences(of: ",", with: " ")
      .split(whereSeparator: \.isWhitespace).map(String.init)
    guard let declared = read(words) else { return .failure(.unreadable) }
    return check(declared, now: now)
  }

  private static func check(_ declared: DeclaredAge, now: Date) -> Result<DeclaredAge, Problem> {
    switch declared {
    case .age(let years):
      return plausibleAges.contains(years) ? .success(declared) : .failure(.implausible)
    case .birthDate(let year, let month, let day):
      guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else {
        return .failure(.impossibleDate)
      }
      // A year of five digits or more is in the future anyway; saying so here keeps
      // "March 1499999999999999999" from overflowing the arithmetic below.
      if year > 9_999 { return .failure(.future) }
    case .birthMonth(let year, let month):
      guard (1...12).contains(month) else { return .failure(.impossibleDate) }
      if year > 9_999 { return .failure(.future) }
    }
    let today = calendar.dateComponents([.year, .month, .day], from: now)
    let todayKey = ((today.year ?? 0) * 100 + (today.month ?? 0)) * 100 + (today.day ?? 0)
    let birthKey: Int
    switch declared {
    case .birthDate(let y, let m, let d): birthKey = (y * 100 + m) * 100 + d
    case .birthMonth(let y, let m): birthKey = (y * 100 + m) * 100 + 1
    case .age: birthKey = 0
    }
    if birthKey > todayKey { return .failure(.future) }
    return plausibleAges.contains(declared.age(at: now)) ? .success(declared) : .failure(.implausible)
  }

  private static func read(_ words: [String]) -> DeclaredAge? {
    let numbers = words.compactMap { Int($0.trimmingCharacters(in: CharacterSet(charactersIn: "."))) }
    // "2010-03-14", "14/03/2010", "14.03.2010", "03/2010", "2010-03"
    for word in words {
      let parts = word.split(whereSeparator: { "-/.".contains($0) }).compactMap { Int($0) }
      let pieces = word.split(whereSeparator: { "-/.".contains($0) })
      guard parts.count == pieces.count, parts.count >= 2 else { continue }
      if parts.count == 3 {
        if pieces[0].count == 4 { return .birthDate(year: parts[0], month: parts[1], day: parts[2]) }
        if pieces[2].count == 4 {
          // Day first, as South Africa and Europe write it, unless that cannot be.
          if parts[1] > 12 && parts[0] <= 12 { return .birthDate(year: parts[2], month: parts[0], day: parts[1]) }
          return .birthDate(year: parts[2], month: parts[1], day: parts[0])
        }
      } else if parts.count == 2 {
        if pieces[1].count == 4 { return .birthMonth(year: parts[1], month: parts[0]) }
        if pieces[0].count == 4 { return .birthMonth(year: parts[0], month: parts[1]) }
      }
    }
    // "14 March 2010", "14th of March 2010", "March 14 2010", "March 2010"
    if let monthIndex = words.firstIndex(where: { month(named: $0) != nil }),
      let month = month(named: words[monthIndex])
    {
      let year = numbers.first { $0 >= 1000 }
      let day = words.compactMap { Int($0.trimmingCharacters(in: .letters)) }.first { (1...31).contains($0) }
      guard let year else { return nil }
      if let day { return .birthDate(year: year, month: month, day: day) }
      return .birthMonth(year: year, month: month)
    }
    // "I'm 15", "15 years old", "age 15", "15", "fifteen"
    let ages = words.compactMap { Int($0) ?? spelled[$0] }
    if ages.count == 1, let age = ages.first, age < 1000 {
      let hasOtherWords = words.contains { Int($0) == nil && spelled[$0] == nil && !ageWords.contains($0) }
      return hasOtherWords ? nil : .age(age)
    }
    return nil
  }

  /// Nobody over 120 is chatting, and nobody under 4 is typing: either is a mistake or
  /// a joke, and gets asked again.
  private static let plausibleAges = 4...120

  private static let ageWords: Set = [
    "i", "im", "am", "age", "aged", "years", "year", "yrs", "old", "y", "o", "yo", "my", "is", "turning", "just",
    // A correction ("actually I'm 30") is still an age.
    "actually", "sorry", "wait", "oops", "oh", "well", "really", "no", "ok", "okay",
  ]

  private static let spelled: [String: Int] = [
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20,
  ]

  private static func month(named word: String) -> Int? {
    let names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    let stem = String(word.prefix(3))
    guard word.count >= 3, let index = names.firstIndex(of: stem) else { return nil }
    let full = [
      "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
      "december",
    ]
    // "mar" and "march", "sept", but not "marching".
    return full[index].hasPrefix(word) || word == "sept" ? index + 1 : nil
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  private static let calendar: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
    return calendar
  }()
}
