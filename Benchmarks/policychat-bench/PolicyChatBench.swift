import Foundation
import PolicyChat

/// `policychat-bench`: prints start-up time, `send` latency percentiles, throughput and
/// peak memory of the engine, in process. Figures only: nothing here passes or fails.
@main
struct PolicyChatBench {
  static func main() {
    switch BenchOptions.parse(Array(CommandLine.arguments.dropFirst())) {
    case .help:
      print(BenchOptions.usage)
    case .invalid(let reason):
      fail("\(reason)\n\(BenchOptions.usage)", status: 64)
    case .run(let options):
      do {
        try run(options)
      } catch {
        fail("\(error)", status: 1)
      }
    }
  }

  private static func run(_ options: BenchOptions) throws {
    let home = URL(fileURLWithPath: options.home, isDirectory: true).standardizedFileURL
    let devQuestions = try Fixtures.devQuestions(home: home)
    let privacyQA = try Fixtures.privacyQAQuestions(home: home)
    let measurements = Measurements(home: home)

    #if DEBUG
      print("warning: debug build; run with `swift run -c release` for representative figures\n")
    #endif
    print("policychat-bench: home \(home.path), \(ProcessInfo.processInfo.activeProcessorCount) CPUs")
    print("times are per call on a monotonic clock (ContinuousClock); each question in a fresh session\n")

    #if DEBUG
      let debugBuild = true
    #else
      let debugBuild = false
    #endif
    var results = BenchResults(
      home: home.path, cpus: ProcessInfo.processInfo.activeProcessorCount, debugBuild: debugBuild,
      rounds: options.rounds, startupRuns: options.startupRuns, devQuestions: devQuestions.count,
      privacyQAQuestions: privacyQA.count)
    var report = Report()
    let startUp = try measurements.startUp(runs: options.startupRuns)
    if let summary = LatencySummary(startUp) {
      report.add("engine start-up (load files + FTS5 index)", summary)
      results.startUp = BenchResults.Summary(summary)
    }

    let engine = try measurements.makeEngine()
    // One untimed pass, so that the first calls' one-off costs do not count as latency.
    _ = try measurements.latencies(engine: engine, questions: devQuestions, rounds: 1)
    let dev = try measurements.latencies(engine: engine, questions: devQuestions, rounds: options.rounds)
    if let summary = LatencySummary(dev.samples) {
      report.add(
        "send, dev set (\(devQuestions.count) q x \(options.rounds) rounds)", summary,
        turnsPerSecond: dev.turnsPerSecond)
      results.devSet = BenchResults.Summary(summary, turnsPerSecond: dev.turnsPerSecond)
    }
    let real = try measurements.latencies(engine: engine, questions: privacyQA, rounds: 1)
    if let summary = LatencySummary(real.samples) {
      report.add("send, PrivacyQA (\(privacyQA.count) q x 1)", summary, turnsPerSecond: real.turnsPerSecond)
      results.privacyQA = BenchResults.Summary(summary, turnsPerSecond: real.turnsPerSecond)
    }
    print(report.render())
    print("\nturns/s: sends divided by the wall time of the whole loop (session open and close included)")
    let maxRSS = PeakMemory.maxRSSKibibytes()
    let highWaterMark = PeakMemory.highWaterMarkKibibytes()
    printPeakMemory(maxRSS: maxRSS, highWaterMark: highWaterMark)
    results.peakMemory = BenchResults.Memory(maxRSSKib: maxRSS, highWaterMarkKib: highWaterMark)
    if let path = options.jsonPath {
      try results.write(to: path)
      print("figures written to \(path)")
    }
  }

  private static func printPeakMemory(maxRSS: Int?, highWaterMark: Int?) {
    if let maxRSS {
      print(
        String(format: "peak resident memory (getrusage ru_maxrss): %d KiB (%.1f MiB)", maxRSS, Double(maxRSS) / 1024))
    }
    if let highWaterMark {
      print(
        String(
          format: "peak resident memory (/proc/self/status VmHWM): %d KiB (%.1f MiB)", highWaterMark,
          Double(highWaterMark) / 1024))
    }
    // ru_maxrss outlives execve, so under `swift run` it reports SwiftPM's own peak.
    if let maxRSS, let highWaterMark, maxRSS > highWaterMark + 1024 {
      print("note: ru_maxrss includes the process that exec'd this one (swift run); VmHWM is the benchmark's own")
    }
  }

  private static func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data("policychat-bench: \(message)\n".utf8))
    exit(status)
  }
}
