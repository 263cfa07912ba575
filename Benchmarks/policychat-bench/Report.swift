import Foundation

/// A fixed-width table of the figures, one row per measurement.
struct Report {
  private var rows: [[String]] = [["", "n", "median", "p90", "p99", "p99.9", "max", "turns/s"]]

  mutating func add(_ label: String, _ summary: LatencySummary, turnsPerSecond: Double? = nil) {
    rows.append(
      [
        label, String(summary.count), Self.format(summary.median), Self.format(summary.p90),
        Self.format(summary.p99), Self.format(summary.p999), Self.format(summary.max),
        turnsPerSecond.map { String(format: "%.0f", $0) } ?? "-",
      ])
  }

  func render() -> String {
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
      row.enumerated().map { column, cell in
        let padding = String(repeating: " ", count: widths[column] - cell.count)
        // The label reads left to right; figures line up on their last digit.
        return column == 0 ? cell + padding : padding + cell
      }.joined(separator: "  ")
    }.joined(separator: "\n")
  }

  /// Milliseconds with microsecond resolution, so every row shares one unit.
  static func format(_ duration: Duration) -> String {
    String(format: "%.3f ms", duration.milliseconds)
  }
}
