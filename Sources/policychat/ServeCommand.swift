import ArgumentParser
import Dispatch
import Foundation
import PolicyChat
import PolicyChatProtocol
import Synchronization

/// `policychat serve`: JSON-RPC 2.0, one message per line, over stdin and stdout.
struct ServeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Speak line-delimited JSON-RPC 2.0 on stdin and stdout, for front ends (docs/PROTOCOL.md).",
    discussion: """
      Diagnostics go to stderr. The server exits 0 at the end of its input, on SIGTERM or SIGINT, or \
      when the front end stops reading.
      """
  )

  @OptionGroup var options: GlobalOptions

  @Option(help: "Longest line read, in bytes; a longer line is skipped with an error.")
  var maxLine = 1_048_576

  @Option(
    help: ArgumentHelp(
      "Write both directions to FILE as JSON lines tagged in and out, for `policychat replay`.",
      discussion: "The recording holds what people type; the clock stands still while recording."))
  var record: String?

  @Option(
    help: ArgumentHelp(
      "Requests about different sessions handled at once (default: the CPUs, at most 8).",
      discussion: "Responses still come in request order; --record handles one at a time."))
  var jobs: Int?

  func validate() throws {
    guard maxLine > 0 else { throw ValidationError("--max-line must be positive") }
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
  }

  /// One lane while recording: a recording replays one request after another, and the
  /// random draws (session ids, codes) must come in that order for the seed to replay.
  private var laneCount: Int {
    record != nil ? 1 : jobs ?? min(8, max(1, ProcessInfo.processInfo.activeProcessorCount))
  }

  func run() throws {
    // The protocol gets its own copy of stdout, and descriptor 1 becomes stderr: a stray
    // print anywhere cannot corrupt the stream.
    let protocolOutput = dup(STDOUT_FILENO)
    guard protocolOutput >= 0, dup2(STDERR_FILENO, STDOUT_FILENO) >= 0 else {
      StandardError.write("policychat: cannot set up standard output")
      throw ExitCode(1)
    }
    // A recording runs on a fixed clock and a seed it writes down, so that it replays
    // exactly (`policychat replay FILE`).
    let recorder = try record.map { path throws in try WireRecorder(path: path) }
    let engine = try options.makeEngine(clock: recorder.map { ManualClock($0.now) }, seed: recorder?.seed)
    let server = ProtocolServer(engine: engine, serverVersion: Engine.version)
    let output = LineWriter(descriptor: protocolOutput, recorder: recorder)
    let termination = TerminationHandler {
      server.closeAllSessions()
      engine.shutDown()
    }
    termination.install(guardedBy: output)

    let inputWait = try InputWait()
    let lanes = RequestLanes(lanes: laneCount) { lines in
      let written = output.write(lines: lines)
      if !written { inputWait.wake() }
      return written
    }
    var framer = LineFramer(maxLineBytes: maxLine)
    var buffer = [UInt8](repeating: 0, count: 65_536)
    reading: while true {
      guard inputWait.waitForInput(on: STDIN_FILENO) else { break }
      let count = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      let events = count > 0 ? framer.push(buffer[0..<count]) : framer.finish()
      for (index, event) in events.enumerated() {
        if lanes.readerGone { break reading }
        switch event {
        case .line(let line):
          recorder?.record(incoming: line)
          let prepared = server.prepare(line: line)
          // While recording, each request is answered before the next is read, so that
          // the file shows each response after its request.
          lanes.submit(
            session: recorder == nil ? prepared.sessionId : nil, inlineWhenIdle: index == events.count - 1
          ) { server.respond(to: prepared) }
        case .tooLong:
          recorder?.recordSkippedLine(limit: maxLine)
          lanes.submit(session: nil) { server.lineTooLong(limit: maxLine) }
        }
      }
      if count <= 0 || lanes.readerGone { break }
    }
    lanes.drain()
    // End of input (or a front end that stopped reading): finish cleanly.
    output.withLock {
      server.closeAllSessions()
      engine.shutDown()
    }
  }
}
