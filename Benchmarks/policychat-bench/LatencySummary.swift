/// Order statistics of a set of timings.
struct LatencySummary {
  let count: Int
  let median: Duration
  let p90: Duration
  let p99: Duration
  let p999: Duration
  let max: Duration

  /// Nearest-rank percentiles; nil for no samples.
  init?(_ samples: [Duration]) {
    guard !samples.isEmpty else { return nil }
    let sorted = samples.sorted()
    func percentile(_ p: Double) -> Duration {
      let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
      return sorted[Swift.min(Swift.max(rank, 1), sorted.count) - 1]
    }
    count = sorted.count
    median = percentile(50)
    p90 = percentile(90)
    p99 = percentile(99)
    p999 = percentile(99.9)
    max = sorted[sorted.count - 1]
  }
}

extension Duration {
  var microseconds: Double {
    let parts = components
    return Double(parts.seconds) * 1_000_000 + Double(parts.attoseconds) / 1_000_000_000_000
  }

  var milliseconds: Double { microseconds / 1000 }

  var seconds: Double { microseconds / 1_000_000 }
}
