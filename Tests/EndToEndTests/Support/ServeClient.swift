import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `policychat serve` driven as a web front end drives it: requests written to a pipe on its
/// standard input, response lines read from a pipe on its standard output.
///
/// Writes happen on a queue of their own and a thread reads all the time, so that neither side
/// can fill a pipe and wait for the other: a test never deadlocks on a big payload. Call
/// `stop()` when done, also after a failed check; it kills the server if it still runs.
final class ServeClient: Sendable {
  let process: ChildProcess
  /// A folder of the test's own, removed by `stop()`, for stderr and files such as recordings.
  let folder: URL
  private let errorFile: URL
  private let inputEnd: Int32
  private let outputEnd: Int32
  private let writer = DispatchQueue(label: "policychat-e2e.serve-writer")
  private let reader = DispatchGroup()
  private let state = Mutex(State())
  private let nextID = Atomic(1)

  private struct State {
    /// Every byte the server wrote to stdout, for checks of the stream as a whole.
    var received: [UInt8] = []
    var unread: [String] = []
    var partial: [UInt8] = []
    var endOfOutput = false
    var stopReading = false
    var inputClosed = false
    var writeFailed = false
    var reaped = false
  }

  /// Starts `policychat serve` with the repository's knowledge, on an in-memory database
  /// unless `database` names a file; `options` follow.
  static func start(database: String = ":memory:", options: [String] = []) throws -> ServeClient {
    ignoreBrokenPipes
    let binary = try PolicyChatBinary.url()
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("policychat-serve-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let errorFile = folder.appendingPathComponent("stderr")

    var input: [Int32] = [-1, -1]
    var output: [Int32] = [-1, -1]
    // Close-on-exec before any other test can spawn a child: one that inherited a writing end
    // would keep this server (or this test) from ever seeing the end of its input.
    try ChildProcess.withSpawningPaused {
      guard pipe(&input) == 0 else { throw EndToEndFailure("Cannot create a pipe.") }
      guard pipe(&output) == 0 else {
        close(input[0])
        close(input[1])
        throw EndToEndFailure("Cannot create a pipe.")
      }
      for end in input + output { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    }
    let process: ChildProcess
    do {
      process = try ChildProcess.spawn(
        binary, arguments: ["serve", "--db", database, "--home", PolicyChatBinary.repositoryRoot.path] + options,
        input: input[0],
        output: output[1], errorOutput: errorFile)
    } catch {
      for end in input + output { close(end) }
      throw error
    }
    close(input[0])
    close(output[1])
    let client = ServeClient(
      process: process, folder: folder, errorFile: errorFile, inputEnd: input[1], outputEnd: output[0])
    client.startReading()
    return client
  }

  /// The test runner must survive writing to a server that has gone: EPIPE, not death.
  static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

  private init(process: ChildProcess, folder: URL, errorFile: URL, inputEnd: Int32, outputEnd: Int32) {
    self.process = process
    self.folder = folder
    self.errorFile = errorFile
    self.inputEnd = inputEnd
    self.outputEnd = outputEnd
  }

  // MARK: Writing

  /// Queues `bytes` for the server's standard input, as they are.
  func send(bytes: [UInt8]) {
    writer.async { [self] in
      guard state.withLock({ !$0.inputClosed && !$0.writeFailed }) else { return }
      var offset = 0
      while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(inputEnd, $0.baseAddress, $0.count) }
        if written < 0 {
          if errno == EINTR { continue }
          state.withLock { $0.writeFailed = true }
          return
        }
        offset += written
      }
    }
  }

  /// Queues one line and its newline.
  func send(_ line: String) {
    send(bytes: Array((line + "\n").utf8))
  }

  /// A new request id, counting up from 1 for this server.
  func makeID() -> Int {
    nextID.add(1, ordering: .relaxed).oldValue
  }

  /// The text of a request.
  static func request(id: JSON?, method: String, params: JSON? = nil) -> String {
    var fields: [String: JSON] = ["jsonrpc": "2.0", "method": .string(method)]
    if let id { fields["id"] = id }
    if let params { fields["params"] = params }
    return JSON.object(fields).text
  }

  /// Sends a request and returns the next line, which has to answer it.
  @discardableResult
  func call(_ method: String, _ params: JSON? = nil, timeout: Duration = .seconds(30)) async throws -> JSON {
    let id = makeID()
    send(Self.request(id: .number(Double(id)), method: method, params: params))
    let response = try await nextMessage(timeout: timeout)
    guard response.id == .number(Double(id)) else {
      throw EndToEndFailure("The response to request \(id) (\(method)) has another id: \(response.text)")
    }
    return response
  }

  /// Sends `chat.send` and returns the response.
  @discardableResult
  func say(_ text: String, in sessionId: String) async throws -> JSON {
    try await call("chat.send", ["sessionId": .string(sessionId), "text": .string(text)])
  }

  /// Opens a session and returns its id.
  func openSession(_ params: JSON? = nil) async throws -> String {
    let response = try await call("session.open", params)
    guard let id = response.result?["sessionId"]?.string else {
      throw EndToEndFailure("session.open did not return a session id: \(response.text)")
    }
    return id
  }

  /// Waits until everything queued so far has been written (or could not be).
  func flush() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      writer.async { continuation.resume() }
    }
  }

  /// Whether a write met a server that had stopped reading.
  var writeFailed: Bool { state.withLock { $0.writeFailed } }

  /// Closes the server's standard input after what is queued: the end of the input.
  func closeInput() {
    writer.async { [self] in
      let wasOpen = state.withLock { state in
        defer { state.inputClosed = true }
        return !state.inputClosed
      }
      // Not while a child is spawned with a copy of it, which would delay the end of the input.
      if wasOpen { ChildProcess.withSpawningPaused { _ = close(inputEnd) } }
    }
  }

  // MARK: Reading

  private func startReading() {
    reader.enter()
    let thread = Thread { [self] in
      readUntilEnd()
      reader.leave()
    }
    thread.start()
  }

  /// Reads until the end of the output or `closeOutput()`; the reading end is closed here,
  /// by its only user, so that no read can meet a descriptor number already reused.
  private func readUntilEnd() {
    var buffer = [UInt8](repeating: 0, count: 65_536)
    // A child being spawned holds a copy of every descriptor until its exec: the server's
    // next write would still find a reader, and the server would wait for input forever.
    defer { ChildProcess.withSpawningPaused { _ = close(outputEnd) } }
    while !state.withLock({ $0.stopReading }) {
      var descriptor = pollfd(fd: outputEnd, events: Int16(POLLIN), revents: 0)
      let ready = poll(&descriptor, 1, 20)
      if ready < 0 && errno != EINTR { break }
      if ready <= 0 { continue }
      let count = buffer.withUnsafeMutableBytes { read(outputEnd, $0.baseAddress, $0.count) }
      if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
      guard count > 0 else { break }
      state.withLock { state in
        state.received.append(contentsOf: buffer[0..<count])
        for byte in buffer[0..<count] {
          if byte == UInt8(ascii: "\n") {
            state.unread.append(String(decoding: state.partial, as: UTF8.self))
            state.partial.removeAll(keepingCapacity: true)
          } else {
            state.partial.append(byte)
          }
        }
      }
    }
    state.withLock { $0.endOfOutput = true }
  }

  /// The next line the server wrote, without its newline.
  func nextLine(timeout: Duration = .seconds(30)) async throws -> String {
    let deadline = ContinuousClock.now + timeout
    while true {
      let (line, ended) = state.withLock { state in
        (state.unread.isEmpty ? nil : state.unread.removeFirst(), state.endOfOutput)
      }
      if let line { return line }
      if ended {
        throw EndToEndFailure("The server's output ended while a line was awaited. stderr: \(errorOutput)")
      }
      if ContinuousClock.now > deadline {
        throw EndToEndFailure("No line from the server within \(timeout). stderr: \(errorOutput)")
      }
      try await Task.sleep(for: .milliseconds(5))
    }
  }

  /// The next line, parsed.
  func nextMessage(timeout: Duration = .seconds(30)) async throws -> JSON {
    let line = try await nextLine(timeout: timeout)
    do {
      return try JSON(line: line)
    } catch {
      throw EndToEndFailure("The server wrote a line that is not JSON: \(line)")
    }
  }

  /// Whether the server has written a line that was not taken yet.
  var hasUnreadLine: Bool { state.withLock { !$0.unread.isEmpty } }

  /// Everything the server wrote to stdout so far.
  var receivedOutput: [UInt8] { state.withLock { $0.received } }

  /// Closes the reading end of the server's standard output, as a front end that stops
  /// listening does.
  func closeOutput() {
    state.withLock { $0.stopReading = true }
    _ = reader.wait(timeout: .now() + 5)
  }

  /// What the server wrote to stderr so far.
  var errorOutput: String {
    (try? Data(contentsOf: errorFile)).map { String(decoding: $0, as: UTF8.self) } ?? ""
  }

  // MARK: The process

  /// The server's peak resident memory (VmHWM), in KiB; Linux only.
  func peakMemoryKiB() throws -> Int {
    let status = try String(contentsOfFile: "/proc/\(process.id)/status", encoding: .utf8)
    guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
      let value = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first
        .flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) })
    else { throw EndToEndFailure("No VmHWM in /proc/\(process.id)/status") }
    return value
  }

  /// Sends a signal to the server, unless it has already been waited for.
  func sendSignal(_ number: Int32) {
    if !state.withLock({ $0.reaped }) { kill(process.id, number) }
  }

  /// Waits for the server to end, and for its output to be read to the end.
  func waitForExit(timeout: Duration = .seconds(30)) async throws -> Termination {
    defer { state.withLock { $0.reaped = true } }
    let termination = try await process.wait(timeout: timeout)
    let deadline = ContinuousClock.now + .seconds(5)
    while !state.withLock({ $0.endOfOutput || $0.stopReading }) && ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(5))
    }
    return termination
  }

  /// Ends everything: kills the server if it still runs, closes the pipes, removes the folder.
  func stop() {
    let running = state.withLock { state in
      defer { state.reaped = true }
      return !state.reaped
    }
    if running {
      kill(process.id, SIGKILL)
      _ = try? process.waitSynchronously()
    }
    closeInput()
    writer.sync {}
    closeOutput()
    try? FileManager.default.removeItem(at: folder)
  }
}
