import Foundation
import PolicyChat
import Testing

/// Dates for people and logs are written in UTC whatever the machine's zone.
@Suite struct UTCDateTests {
  @Test(arguments: [
    (0.0, "1970-01-01T00:00:00Z", "1970-01-01", "1970-01-01 at 00:00 UTC"),
    (1_796_000_000.75, "2026-11-30T00:53:20Z", "2026-11-30", "2026-11-30 at 00:53 UTC"),
    (951_825_599, "2000-02-29T11:59:59Z", "2000-02-29", "2000-02-29 at 11:59 UTC"),
  ])
  func eachFormat(seconds: Double, iso: String, day: String, minute: String) {
    let date = Date(timeIntervalSince1970: seconds)
    #expect(UTCDate.iso8601(date) == iso)
    #expect(UTCDate.day(date) == day)
    #expect(UTCDate.minute(date) == minute)
  }

  /// The same text as ISO8601DateFormatter, which the audit log and the facts of
  /// decisions were written with before.
  @Test func iso8601IsWhatISO8601DateFormatterWrote() {
    for seconds in stride(from: 0.0, to: 4_000_000_000, by: 123_456_789.5) {
      let date = Date(timeIntervalSince1970: seconds)
      #expect(UTCDate.iso8601(date) == ISO8601DateFormatter().string(from: date))
    }
  }
}
