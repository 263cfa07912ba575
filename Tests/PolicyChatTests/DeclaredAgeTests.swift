import Foundation
import PolicyChat
import Testing

/// Reading a date of birth or an age the way people write it.
@Suite struct DeclaredAgeTests {
  /// 2026-11-29T12:00:00Z.
  private let now = Date(timeIntervalSince1970: 1_795_953_600)

  @Test(arguments: [
    ("14 March 2010", DeclaredAge.birthDate(year: 2010, month: 3, day: 14)),
    ("2010-03-14", .birthDate(year: 2010, month: 3, day: 14)),
    ("14/03/2010", .birthDate(year: 2010, month: 3, day: 14)),
    ("14.03.2010", .birthDate(year: 2010, month: 3, day: 14)),
    ("03/14/2010", .birthDate(year: 2010, month: 3, day: 14)),
    ("14th of March, 2010", .birthDate(year: 2010, month: 3, day: 14)),
    ("March 14, 2010", .birthDate(year: 2010, month: 3, day: 14)),
    ("Mar 2010", .birthMonth(year: 2010, month: 3)),
    ("March 2010", .birthMonth(year: 2010, month: 3)),
    ("03/2010", .birthMonth(year: 2010, month: 3)),
    ("I'm 15", .age(15)),
    ("I am 15 years old", .age(15)),
    ("15", .age(15)),
    ("fifteen", .age(15)),
    ("age 42", .age(42)),
  ])
  func everyAcceptedFormIsRead(text: String, expected: DeclaredAge) {
    #expect(DeclaredAge.parse(text, now: now) == .success(expected))
  }

  @Test(arguments: ["31 February 2010", "2010-13-01", "30/02/2012", "0/5/2010"])
  func anImpossibleDateIsRefused(text: String) {
    #expect(DeclaredAge.parse(text, now: now) == .failure(.impossibleDate))
  }

  // The last two overflowed the date arithmetic and crashed the process (found by fuzzing).
  @Test(arguments: ["1 January 2027", "2030-05-01", "December 2026", "march 1499999999999999999", "1 May 99999"])
  func aDateInTheFutureIsRefused(text: String) {
    #expect(DeclaredAge.parse(text, now: now) == .failure(.future))
  }

  @Test(arguments: ["I'm 130", "1 January 1890", "age 121"])
  func anAgeOverOneHundredAndTwentyIsRefused(text: String) {
    #expect(DeclaredAge.parse(text, now: now) == .failure(.implausible))
  }

  @Test(arguments: ["purple", "", "I'd rather not say", "my cat is 3 and my dog 5"])
  func somethingElseIsUnreadable(text: String) {
    #expect(DeclaredAge.parse(text, now: now) == .failure(.unreadable))
  }

  @Test func theAgeCountsWholeYearsUpToToday() {
    #expect(DeclaredAge.birthDate(year: 2010, month: 11, day: 29).age(at: now) == 16)
    #expect(DeclaredAge.birthDate(year: 2010, month: 11, day: 30).age(at: now) == 15)
    #expect(DeclaredAge.birthDate(year: 2008, month: 2, day: 29).age(at: now) == 18)
  }

  @Test func aMonthAndYearTakesTheYoungestTheyCanBe() {
    // Born some day of November 2010: possibly the 30th, so not yet 16.
    #expect(DeclaredAge.birthMonth(year: 2010, month: 11).age(at: now) == 15)
    #expect(DeclaredAge.birthMonth(year: 2010, month: 10).age(at: now) == 16)
  }
}
