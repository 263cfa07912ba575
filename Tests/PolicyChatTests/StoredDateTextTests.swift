import Foundation
import GRDB
import Testing

@testable import PolicyChat

/// The store's own date text must be exactly GRDB's: the two are written into the same
/// columns and compared in the same WHERE clauses.
@Suite struct StoredDateTextTests {
  private func grdb(_ date: Date) -> String? { String.fromDatabaseValue(date.databaseValue) }
  private func ours(_ date: Date) -> String? { String.fromDatabaseValue(StoredDateText.databaseValue(date)) }

  @Test func matchesGRDBOnDatesAroundNowAndMillisecondEdges() {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<20_000 {
      // From 1900 to 2200, at any fraction of a second.
      let date = Date(timeIntervalSince1970: Double.random(in: -2_208_988_800...7_258_118_400, using: &generator))
      #expect(ours(date) == grdb(date), "\(date.timeIntervalSince1970)")
    }
    let edges: [Double] = [
      0, -0.0005, 0.0005, 0.9995, 0.999_999_9, -0.000_000_1, 951_782_400, 951_868_799.999, 1_798_761_599.9999,
      1_798_761_600, -86_400.001, 4_102_444_800, 1_709_164_800.0004,
    ]
    for seconds in edges {
      let date = Date(timeIntervalSince1970: seconds)
      #expect(ours(date) == grdb(date), "\(seconds)")
    }
  }

  @Test func leavesYearsOutsideFourDigitsToGRDB() {
    for seconds in [-62_135_596_800.0, -40_000_000_000, 253_402_300_800, 300_000_000_000] {
      let date = Date(timeIntervalSince1970: seconds)
      #expect(ours(date) == grdb(date), "\(seconds)")
    }
  }
}
