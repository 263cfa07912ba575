import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a piped chat printed, and how it ended.
struct PipedTranscript {
  let output: String
  let errorOutput: String
  let termination: Termination

  var lines: [String] {
    output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }
}

/// Runs `policychat` with its standard input from a pipe, as a script would.
enum PipedChat {
  /// Sends `input` and, if `closingInput`, then ends the input; otherwise the pipe stays open
  /// until the program exits, so the program has to stop by itself.
  static func run(
    _ input: [UInt8], closingInput: Bool = true, environment: [String: String] = [:],
    arguments: [String] = PolicyChatBinary.chatArguments, timeout: Duration = .seconds(30)
  ) async throws -> PipedTranscript {
    let binary = try PolicyChatBinary.url()
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("policychat-e2e-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("stdout")
    let errorOutput = folder.appendingPathComponent("stderr")

    // The input is in the pipe before the program starts, so writing can neither block nor
    // meet a program that has already gone (SIGPIPE would end the test runner).
    let pipe = try InputPipe(holding: input)
    defer { pipe.closeWriting() }
    if closingInput { pipe.closeWriting() }
    let child = try ChildProcess.spawn(
      binary, arguments: arguments,
      environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
      input: pipe.readingEnd, output: output, errorOutput: errorOutput)
    pipe.closeReading()
    let termination = try await child.wait(timeout: timeout)

    return PipedTranscript(
      output: String(decoding: try Data(contentsOf: output), as: UTF8.self),
      errorOutput: String(decoding: try Data(contentsOf: errorOutput), as: UTF8.self),
      termination: termination)
  }

  static func run(lines: [String], closingInput: Bool = true) async throws -> PipedTranscript {
    try await run(Array(lines.map { $0 + "\n" }.joined().utf8), closingInput: closingInput)
  }
}

/// A pipe filled before the reader starts; both ends close on exec, so that the child holds
/// only the copy it is given as standard input.
private final class InputPipe {
  private var ends: [Int32] = [-1, -1]
  var readingEnd: Int32 { ends[0] }

  init(holding bytes: [UInt8]) throws {
    guard bytes.count <= 16_384 else { throw EndToEndFailure("Test input must fit in a pipe's buffer.") }
    // Close-on-exec before any other test can spawn a child, which would otherwise inherit the
    // writing end and keep this child from ever seeing the end of its input.
    try ChildProcess.withSpawningPaused {
      guard pipe(&ends) == 0 else { throw EndToEndFailure("Cannot create a pipe.") }
      for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    }
    let written = bytes.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) }
    guard written == bytes.count else { throw EndToEndFailure("Cannot write the test input to the pipe.") }
  }

  func closeReading() { closeEnd(0) }
  func closeWriting() { closeEnd(1) }

  private func closeEnd(_ index: Int) {
    if ends[index] >= 0 { close(ends[index]) }
    ends[index] = -1
  }

  deinit {
    closeReading()
    closeWriting()
  }
}
