import Foundation
import PolicyChat

/// Writes a live conversation as a transcript that replays as it happened: the clock and
/// seed it ran with, each message, and what the assistant answered (intent, sources and
/// the exact text), ready for `policychat replay`.
public struct TranscriptRecorder: Sendable {
  public let name: String
  public let now: Date
  public let seed: UInt64
  public let session: SessionOptions
  private var steps: [String] = []

  public init(name: String, now: Date, seed: UInt64, session: SessionOptions = SessionOptions()) {
    self.name = name
    self.now = now
    self.seed = seed
    self.session = session
  }

  public mutating func add(user text: String, turn: Turn) {
    var lines = ["  - user: " + YAMLRendering.scalar(text), "    intent: " + YAMLRendering.scalar(turn.intent)]
    if !turn.sources.isEmpty {
      lines.append("    sources: [" + turn.sources.map { YAMLRendering.scalar($0.id) }.joined(separator: ", ") + "]")
    }
    lines += YAMLRendering.textEntry("bot", turn.text, prefix: "    ", indent: 4)
    steps.append(lines.joined(separator: "\n"))
  }

  public var isEmpty: Bool { steps.isEmpty }

  public var yaml: String {
    let formatter = ISO8601DateFormatter()
    var header = [
      "name: " + YAMLRendering.scalar(name),
      "description: Recorded in the policychat REPL.",
    ]
    var sessionLines: [String] = []
    if let country = session.country { sessionLines.append("  country: " + YAMLRendering.scalar(country)) }
    if let locale = session.locale { sessionLines.append("  locale: " + YAMLRendering.scalar(locale)) }
    if !sessionLines.isEmpty { header += ["session:"] + sessionLines }
    header += [
      "now: " + formatter.string(from: now),
      "seed: \(seed)",
      "opening:",
      "  bot_contains: automated",
      "steps:",
    ]
    return (header + steps).joined(separator: "\n") + "\n"
  }
}
