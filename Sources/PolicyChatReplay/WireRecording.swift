import Foundation
import PolicyChat
import PolicyChatProtocol

/// A `policychat serve --record` file: a `meta` line (seed and start time), then the lines
/// the front end sent (`in`, or `in_raw` for a line that was not JSON) and the server
/// answered (`out`), in order.
struct WireRecording {
  enum Entry {
    case incoming(line: [UInt8], number: Int)
    case skipped(limit: Int, number: Int)
    case outgoing(JSONValue, number: Int)
  }

  var seed: UInt64 = Transcript.defaultSeed
  var now = Transcript.defaultNow
  var entries: [Entry] = []

  static func parse(_ text: String, file: String) throws -> WireRecording {
    var recording = WireRecording()
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !raw.isEmpty {
      let number = index + 1
      guard case .object(let fields)? = try? JSONDecoder().decode(JSONValue.self, from: Data(raw.utf8)) else {
        throw TranscriptError(file: file, line: number, reason: "not a JSON object")
      }
      if case .object(let meta)? = fields["meta"] {
        if case .integer(let seed)? = meta["seed"], seed >= 0 { recording.seed = UInt64(seed) }
        if case .string(let now)? = meta["now"], let date = ISO8601DateFormatter().date(from: now) {
          recording.now = date
        }
      } else if let message = fields["in"] {
        recording.entries.append(.incoming(line: Array((try? JSONEncoder().encode(message)) ?? Data()), number: number))
      } else if case .string(let text)? = fields["in_raw"] {
        recording.entries.append(.incoming(line: Array(text.utf8), number: number))
      } else if case .string(let encoded)? = fields["in_base64"], let bytes = Data(base64Encoded: encoded) {
        recording.entries.append(.incoming(line: Array(bytes), number: number))
      } else if case .object(let skipped)? = fields["skipped"], case .integer(let limit)? = skipped["limit"] {
        recording.entries.append(.skipped(limit: limit, number: number))
      } else if let message = fields["out"] {
        recording.entries.append(.outgoing(message, number: number))
      } else {
        throw TranscriptError(
          file: file, line: number, reason: "expected one of the keys meta, in, in_raw, in_base64, out, skipped")
      }
    }
    return recording
  }

  /// Sends every `in` line to a fresh server and compares each response with the recorded
  /// `out` that follows it.
  func replay(
    file: String, name: String, policy: PolicyData, database: any ReplayDatabase = InMemoryReplayDatabase()
  ) -> ReplayResult {
    let started = ContinuousClock.now
    var result = ReplayResult(file: file, name: name, failures: [], turns: 0, seconds: 0)
    var configuration = EngineConfiguration(
      home: policy.home, database: .inMemory, clock: ManualClock(now), random: SeededRandomSource(seed: seed))
    let store: any SessionStore
    do {
      (store, configuration.dataKeys) = try database.makeStore(for: file)
    } catch {
      result.failures.append(.init(line: nil, step: "setup", key: "database", detail: error.description))
      return result
    }
    defer { database.discard(store) }
    let engine = Engine(policy: policy, configuration: configuration, store: store)
    let server = ProtocolServer(engine: engine, serverVersion: Engine.version)
    var produced: [(JSONValue, Int)] = []
    var expected: [(JSONValue, Int)] = []
    for entry in entries {
      switch entry {
      case .incoming(let line, let number):
        result.turns += 1
        if let response = server.handle(line: line) { produced.append((Self.decode(response), number)) }
      case .skipped(let limit, let number):
        produced.append((Self.decode(server.lineTooLong(limit: limit)), number))
      case .outgoing(let message, let number):
        expected.append((message, number))
      }
    }
    for index in 0..<max(produced.count, expected.count) {
      let actual = index < produced.count ? produced[index].0 : .null
      let wanted = index < expected.count ? expected[index].0 : .null
      if !PartialMatch.matches(wanted, actual) || !PartialMatch.matches(actual, wanted) {
        let line = index < expected.count ? expected[index].1 : produced[index].1
        result.failures.append(
          .init(
            line: line, step: "response \(index + 1)", key: "out",
            detail: TranscriptRunner.jsonDiff(wanted, actual)))
      }
    }
    result.seconds = secondsSince(started)
    return result
  }

  private static func decode(_ line: String) -> JSONValue {
    (try? JSONDecoder().decode(JSONValue.self, from: Data(line.utf8))) ?? .string(line)
  }
}
