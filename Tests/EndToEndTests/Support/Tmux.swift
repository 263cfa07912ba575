import Foundation

/// The tmux command, on a server of the caller's own (`-L`), so that tests run in parallel
/// and a user's sessions and ~/.tmux.conf stay out of them.
struct Tmux: Sendable {
  let executable: URL
  let server: String

  init(server: String) throws {
    self.executable = try Self.locate()
    self.server = server
  }

  /// Runs one tmux command and returns what it printed.
  @discardableResult
  func callAsFunction(_ arguments: String...) throws -> String {
    try callAsFunction(arguments)
  }

  @discardableResult
  func callAsFunction(_ arguments: [String]) throws -> String {
    let folder = FileManager.default.temporaryDirectory
    let output = folder.appendingPathComponent("\(server)-\(UUID().uuidString).out")
    let errorOutput = folder.appendingPathComponent("\(server)-\(UUID().uuidString).err")
    defer {
      try? FileManager.default.removeItem(at: output)
      try? FileManager.default.removeItem(at: errorOutput)
    }
    // Files, not pipes: new-session forks the server, which must not hold the test's pipes.
    let child = try ChildProcess.spawn(
      executable, arguments: ["-L", server, "-f", "/dev/null"] + arguments, output: output, errorOutput: errorOutput)
    let termination = try child.waitSynchronously()
    guard termination == .exit(0) else {
      let complaint = (try? String(contentsOf: errorOutput, encoding: .utf8)) ?? ""
      throw EndToEndFailure("tmux \(arguments.joined(separator: " ")) ended with \(termination): \(complaint)")
    }
    return String(decoding: try Data(contentsOf: output), as: UTF8.self)
  }

  private static func locate() throws -> URL {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for folder in path.split(separator: ":") {
      let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("tmux")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    throw EndToEndFailure(
      "tmux is not installed (not found in PATH): the terminal tests drive the REPL through it. "
        + "Install it, e.g. `apt-get install tmux`.")
  }
}
