import Foundation
import PolicyChat
import PolicyChatProtocol
import Synchronization

/// Bytes as a front end would write them to `policychat serve`: framed into lines by
/// ``LineFramer`` and answered by a real ``ProtocolServer`` over the repository's knowledge
/// and an in-memory database, so parsing, validation and dispatch onto the engine all run.
///
/// Each run opens a fresh session and writes its id wherever the input says `$SID`, so that
/// inputs reach the session methods (`chat.send`, `age.declare`, ...) without guessing ids;
/// every session is closed at the end of the run.
enum ProtocolLineTarget {
  /// Small, so that the too-long path is reached by inputs of a few kilobytes.
  static let maxLineBytes = 2_048
  /// Building an engine reads and indexes every data file, far slower than one run, so one
  /// is shared. Runs get slower as it ages (16 a second falling to 8 over 2,700 runs in a
  /// 5-minute session, its database growing), so a fresh one is built every 500 runs.
  private static let runsPerEngine = 500
  private static let placeholder = Array("$SID".utf8)

  private struct Harness {
    var server: ProtocolServer
    var engine: Engine
    var runs = 0
  }

  private static let harness = Mutex<Harness?>(nil)

  static func run(_ bytes: UnsafeRawBufferPointer) {
    harness.withLock { state in
      if state == nil || (state?.runs ?? 0) >= runsPerEngine { state = makeHarness() }
      guard var current = state else { return }
      current.runs += 1
      exercise(Array(bytes), server: current.server, engine: current.engine)
      state = current
    }
  }

  private static func exercise(_ input: [UInt8], server: ProtocolServer, engine: Engine) {
    // Opening a session is a good part of a run's cost, so only inputs that use one get one.
    var sessionId: String?
    if contains(placeholder, in: input) {
      do {
        sessionId = try engine.openSession().sessionId
      } catch {
        fatalError("cannot open a session: \(error)")
      }
    }
    var framer = LineFramer(maxLineBytes: maxLineBytes)
    let events = framer.push(sessionId.map { substituting($0, in: input) } ?? input) + framer.finish()
    for event in events {
      switch event {
      case .line(let line):
        require(line.count <= maxLineBytes && !line.contains(UInt8(ascii: "\n")), "the framer passed on a bad line")
        if let reply = server.handle(line: line) { check(reply) }
      case .tooLong:
        check(server.lineTooLong(limit: maxLineBytes))
      }
    }
    server.closeAllSessions()
    if let sessionId { try? engine.closeSession(sessionId) }
  }

  private static func contains(_ needle: [UInt8], in input: [UInt8]) -> Bool {
    guard input.count >= needle.count else { return false }
    return (0...(input.count - needle.count)).contains { input[$0..<($0 + needle.count)].elementsEqual(needle) }
  }

  /// Every reply is one line holding one JSON-RPC 2.0 response: a result or an error.
  private static func check(_ reply: String) {
    require(!reply.utf8.contains(UInt8(ascii: "\n")), "a reply that spans lines: \(reply)")
    guard let object = try? JSONSerialization.jsonObject(with: Data(reply.utf8)) as? [String: Any] else {
      fatalError("a reply that is not a JSON object: \(reply)")
    }
    require(object["jsonrpc"] as? String == "2.0", "a reply without jsonrpc 2.0: \(reply)")
    require((object["result"] == nil) != (object["error"] == nil), "a reply without exactly one outcome: \(reply)")
  }

  private static func substituting(_ sessionId: String, in input: [UInt8]) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(input.count)
    var index = 0
    while index < input.count {
      if index + placeholder.count <= input.count, input[index..<(index + placeholder.count)].elementsEqual(placeholder)
      {
        output.append(contentsOf: sessionId.utf8)
        index += placeholder.count
      } else {
        output.append(input[index])
        index += 1
      }
    }
    return output
  }

  private static func makeHarness() -> Harness {
    do {
      let engine = try Engine(
        configuration: EngineConfiguration(
          home: home, clock: ManualClock(Date(timeIntervalSince1970: 1_796_000_000)),
          random: SeededRandomSource(seed: 1)))
      return Harness(server: ProtocolServer(engine: engine, serverVersion: "fuzz"), engine: engine)
    } catch {
      fatalError("cannot build the engine over \(home.path): \(error)")
    }
  }

  /// The repository's folder (knowledge/ and intents/), or `$POLICYCHAT_HOME`.
  private static var home: URL {
    if let path = ProcessInfo.processInfo.environment["POLICYCHAT_HOME"], !path.isEmpty {
      return URL(fileURLWithPath: path)
    }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }
}
