import Foundation
import PolicyChat
import Testing

/// The legal deadlines of rights requests (knowledge/requests.yaml): a GDPR month ends on the
/// same day of the next month or on its last day, POPIA counts 30 days, each with its one
/// extension, all in UTC whatever the time of day.
@Suite struct DeadlineTests {
  private static func date(_ text: String) throws -> Date {
    try #require(ISO8601DateFormatter().date(from: text), "not an ISO 8601 time: \(text)")
  }

  private static func day(_ date: Date) -> String {
    ISO8601DateFormatter().string(from: date)
  }

  private static func regime(_ id: String) throws -> RequestSettings.Regime {
    try #require(TestEngine.shared.requestSettings.regimes[id], "no regime \(id) in knowledge/requests.yaml")
  }

  @Test func theRegimesAreTheOnesOfTheDataFile() throws {
    let gdpr = try Self.regime("gdpr")
    #expect(gdpr.months == 1 && gdpr.days == nil && gdpr.extensionMonths == 2)
    let popia = try Self.regime("popia")
    #expect(popia.days == 30 && popia.months == nil && popia.extensionDays == 30)
  }

  @Test(arguments: [
    // Across month ends: the last day of the shorter month.
    ("2027-01-31T10:00:00Z", "2027-02-28T10:00:00Z"),
    ("2028-01-31T10:00:00Z", "2028-02-29T10:00:00Z"),
    ("2028-01-30T10:00:00Z", "2028-02-29T10:00:00Z"),
    ("2027-03-31T10:00:00Z", "2027-04-30T10:00:00Z"),
    ("2027-08-31T10:00:00Z", "2027-09-30T10:00:00Z"),
    // Across a year end.
    ("2027-12-15T10:00:00Z", "2028-01-15T10:00:00Z"),
    ("2027-12-31T23:59:59Z", "2028-01-31T23:59:59Z"),
    // From a leap day, and into a month long enough.
    ("2028-02-29T10:00:00Z", "2028-03-29T10:00:00Z"),
    ("2027-02-28T10:00:00Z", "2027-03-28T10:00:00Z"),
    // Just after midnight UTC, which is still the day before in the Americas.
    ("2027-01-31T00:30:00Z", "2027-02-28T00:30:00Z"),
  ])
  func aGDPRMonthEndsOnTheSameDayOrTheLastDayOfTheNextMonth(received: String, due: String) throws {
    #expect(Self.day(try Self.regime("gdpr").due(from: try Self.date(received))) == due)
  }

  @Test(arguments: [
    // One month and two more: three in all, ending on the last day when there is no such day.
    ("2027-01-31T10:00:00Z", "2027-04-30T10:00:00Z"),
    ("2027-11-30T10:00:00Z", "2028-02-29T10:00:00Z"),
    ("2027-12-15T10:00:00Z", "2028-03-15T10:00:00Z"),
    ("2028-02-29T10:00:00Z", "2028-05-29T10:00:00Z"),
    ("2027-03-31T10:00:00Z", "2027-06-30T10:00:00Z"),
  ])
  func anExtendedGDPRDeadlineIsThreeMonthsInAll(received: String, due: String) throws {
    #expect(Self.day(try Self.regime("gdpr").due(from: try Self.date(received), extended: true)) == due)
  }

  @Test(arguments: [
    ("2027-01-31T10:00:00Z", "2027-03-02T10:00:00Z"),
    ("2028-01-31T10:00:00Z", "2028-03-01T10:00:00Z"),
    ("2028-02-29T10:00:00Z", "2028-03-30T10:00:00Z"),
    ("2027-12-15T10:00:00Z", "2028-01-14T10:00:00Z"),
    ("2027-03-31T10:00:00Z", "2027-04-30T10:00:00Z"),
    ("2027-12-31T23:59:59Z", "2028-01-30T23:59:59Z"),
  ])
  func aPOPIADeadlineIsThirtyDays(received: String, due: String) throws {
    let start = try Self.date(received)
    let deadline = try Self.regime("popia").due(from: start)
    #expect(Self.day(deadline) == due)
    #expect(deadline.timeIntervalSince(start) == 30 * 86_400)
  }

  @Test(arguments: [
    ("2027-01-31T10:00:00Z", "2027-04-01T10:00:00Z"),
    ("2028-01-31T10:00:00Z", "2028-03-31T10:00:00Z"),
    ("2028-02-29T10:00:00Z", "2028-04-29T10:00:00Z"),
    ("2027-12-15T10:00:00Z", "2028-02-13T10:00:00Z"),
    ("2027-03-31T10:00:00Z", "2027-05-30T10:00:00Z"),
    ("2027-12-31T23:59:59Z", "2028-02-29T23:59:59Z"),
  ])
  func anExtendedPOPIADeadlineIsSixtyDays(received: String, due: String) throws {
    let start = try Self.date(received)
    let deadline = try Self.regime("popia").due(from: start, extended: true)
    #expect(Self.day(deadline) == due)
    #expect(deadline.timeIntervalSince(start) == 60 * 86_400)
  }

  @Test(arguments: [
    ("DE", "gdpr"), ("FR", "gdpr"), ("GB", "gdpr"), ("de", "gdpr"), ("NO", "gdpr"), ("IE", "gdpr"),
    ("ZA", "popia"), ("US", "popia"), ("XX", "popia"), ("", "popia"), ("unknown", "popia"),
  ])
  func eachCountryFollowsItsRegime(country: String, regime: String) {
    #expect(TestEngine.shared.requestSettings.regime(for: country).id == regime)
  }

  @Test func noCountryFollowsTheDefaultRegime() {
    let settings = TestEngine.shared.requestSettings
    #expect(settings.defaultRegime == "popia")
    #expect(settings.regime(for: nil).id == "popia")
  }

  @Test func theDeadlineOfARegimeForACountryIsThatRegimes() throws {
    let settings = TestEngine.shared.requestSettings
    let received = try Self.date("2027-01-31T10:00:00Z")
    #expect(Self.day(settings.regime(for: "DE").due(from: received)) == "2027-02-28T10:00:00Z")
    #expect(Self.day(settings.regime(for: "ZA").due(from: received)) == "2027-03-02T10:00:00Z")
    #expect(Self.day(settings.regime(for: "DE").due(from: received, extended: true)) == "2027-04-30T10:00:00Z")
    #expect(Self.day(settings.regime(for: "US").due(from: received, extended: true)) == "2027-04-01T10:00:00Z")
  }
}
