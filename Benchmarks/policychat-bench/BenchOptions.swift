import Foundation

/// The command line of `policychat-bench`, read by hand: the target depends on nothing but
/// the engine, so that what it measures is the engine.
struct BenchOptions {
  var home = FileManager.default.currentDirectoryPath
  var rounds = 50
  var startupRuns = 20
  var jsonPath: String?

  static let usage = """
    usage: policychat-bench [--home PATH] [--rounds N] [--startup-runs N] [--json FILE]

      --home PATH         folder holding knowledge/, intents/ and Tests/ (default: current folder)
      --rounds N          passes over the dev questions (default: 50)
      --startup-runs N    engine constructions timed for start-up (default: 20)
      --json FILE         also write the figures to FILE as JSON (times in ms, memory in KiB)
    """

  enum ParseResult {
    case run(BenchOptions)
    case help
    case invalid(String)
  }

  static func parse(_ arguments: [String]) -> ParseResult {
    var options = BenchOptions()
    var remaining = arguments[...]
    while let flag = remaining.popFirst() {
      if flag == "--help" || flag == "-h" { return .help }
      guard let value = remaining.popFirst() else { return .invalid("\(flag) needs a value") }
      switch flag {
      case "--home":
        options.home = value
      case "--rounds":
        guard let count = Int(value), count > 0 else { return .invalid("--rounds must be a positive integer") }
        options.rounds = count
      case "--startup-runs":
        guard let count = Int(value), count > 0 else {
          return .invalid("--startup-runs must be a positive integer")
        }
        options.startupRuns = count
      case "--json":
        options.jsonPath = value
      default:
        return .invalid("unknown option \(flag)")
      }
    }
    return .run(options)
  }
}
