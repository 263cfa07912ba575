import Foundation

/// The figures of one run as `--json FILE` writes them: times in milliseconds, memory in
/// KiB, keys in snake case (`median_ms`, `p999_ms`, `turns_per_second`, ...).
struct BenchResults: Encodable {
  struct Summary: Encodable {
    let count: Int
    let medianMs: Double
    let p90Ms: Double
    let p99Ms: Double
    let p999Ms: Double
    let maxMs: Double
    let turnsPerSecond: Double?

    init(_ summary: LatencySummary, turnsPerSecond: Double? = nil) {
      count = summary.count
      medianMs = summary.median.milliseconds
      p90Ms = summary.p90.milliseconds
      p99Ms = summary.p99.milliseconds
      p999Ms = summary.p999.milliseconds
      maxMs = summary.max.milliseconds
      self.turnsPerSecond = turnsPerSecond
    }
  }

  struct Memory: Encodable {
    /// getrusage's `ru_maxrss`; under `swift run` it is SwiftPM's own peak.
    let maxRSSKib: Int?
    /// `VmHWM` of /proc/self/status: the benchmark's own peak.
    let highWaterMarkKib: Int?
  }

  let home: String
  let cpus: Int
  let debugBuild: Bool
  let rounds: Int
  let startupRuns: Int
  let devQuestions: Int
  let privacyQAQuestions: Int
  var startUp: Summary?
  var devSet: Summary?
  var privacyQA: Summary?
  var peakMemory: Memory?

  func write(to path: String) throws {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var data = try encoder.encode(self)
    data.append(contentsOf: Array("\n".utf8))
    try data.write(to: URL(fileURLWithPath: path))
  }
}
