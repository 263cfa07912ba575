import Foundation

/// The runner's output for people (failures with file:line and diffs, then the totals) and
/// for CI (JUnit XML).
public enum ReplayReport {
  public static func text(_ outcome: Replay.Outcome, updating: Bool) -> String {
    var lines: [String] = []
    for error in outcome.errors {
      lines.append("\(error.description)")
    }
    for result in outcome.results where !result.passed {
      lines.append("FAIL \(result.file): \(result.name)")
      for failure in result.failures {
        let place = failure.line.map { "\(result.file):\($0)" } ?? result.file
        lines.append("\(place): \(failure.step): \(failure.key)")
        lines.append(
          failure.detail.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(
            separator: "\n"))
      }
      if updating {
        let keys = result.updates.map { "\($0.key) (line \($0.line))" }.joined(separator: ", ")
        lines.append(
          outcome.updated.contains(result.file) ? "updated \(result.file): \(keys)" : "not updated: \(result.file)")
      }
    }
    let turns = outcome.results.map(\.turns).reduce(0, +)
    if turns > 0, outcome.seconds > 0 {
      let rate = Int((Double(turns) / outcome.seconds).rounded())
      let time = String(format: "%.2f", outcome.seconds)
      lines.append("replayed \(turns) turns from \(outcome.results.count) transcripts in \(time) s (\(rate) turns/s)")
    }
    lines.append("\(outcome.passed) passed, \(outcome.failed) failed")
    return lines.joined(separator: "\n")
  }

  public static func junit(_ outcome: Replay.Outcome) -> String {
    var xml = [
      #"<?xml version="1.0" encoding="UTF-8"?>"#,
      "<testsuites>",
      "  <testsuite name=\"policychat replay\" tests=\"\(outcome.results.count + outcome.errors.count)\" failures=\"\(outcome.failed)\">",
    ]
    for error in outcome.errors {
      xml.append("    <testcase classname=\"\(escape(error.file))\" name=\"\(escape(error.file))\">")
      xml.append("      <failure message=\"unreadable transcript\">\(escape(error.description))</failure>")
      xml.append("    </testcase>")
    }
    for result in outcome.results {
      let time = String(format: "%.3f", result.seconds)
      xml.append("    <testcase classname=\"\(escape(result.file))\" name=\"\(escape(result.name))\" time=\"\(time)\">")
      for failure in result.failures {
        let place = failure.line.map { "\(result.file):\($0)" } ?? result.file
        xml.append(
          "      <failure message=\"\(escape("\(place): \(failure.step): \(failure.key)"))\">\(escape(failure.detail))</failure>"
        )
      }
      xml.append("    </testcase>")
    }
    xml += ["  </testsuite>", "</testsuites>", ""]
    return xml.joined(separator: "\n")
  }

  private static func escape(_ text: String) -> String {
    var escaped = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": escaped += "&amp;"
      case "<": escaped += "&lt;"
      case ">": escaped += "&gt;"
      case "\"": escaped += "&quot;"
      case "\n", "\t": escaped.unicodeScalars.append(scalar)
      default:
        // XML 1.0 forbids other control characters.
        if scalar.value >= 0x20 { escaped.unicodeScalars.append(scalar) }
      }
    }
    return escaped
  }
}
