import Foundation

/// The REPL in a real terminal: `policychat` in a detached tmux session, driven with
/// send-keys and read with capture-pane.
struct TerminalChat: Sendable {
  private let tmux: Tmux
  private let exitFile: URL
  private let socket: String
  private static let target = "chat"

  /// Starts the chat; call `stop()` when done, also after a failed check. `arguments`
  /// replace the default ones that keep a run away from the user's own data; `environment`
  /// is added to the command's.
  static func start(
    arguments: [String] = PolicyChatBinary.chatArguments, environment: [String: String] = [:]
  ) throws -> TerminalChat {
    let binary = try PolicyChatBinary.url()
    let name = "policychat-e2e-\(UUID().uuidString.prefix(8))"
    let exitFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).exit")
    // INPUTRC: the user's readline settings (vi mode, other bindings) would change what keys do.
    let variables = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(quoted($0.value)) " }.joined()
    let command =
      "INPUTRC=/dev/null \(variables)\(quoted(binary.path)) "
      + arguments.map(quoted).joined(separator: " ")
      + "; echo EXIT=$? > \(quoted(exitFile.path))"
    let tmux = try Tmux(server: name)
    // The repository as working folder: file names there would show if Tab completed them.
    try tmux(
      "new-session", "-d", "-s", target, "-x", "120", "-y", "40", "-c", PolicyChatBinary.repositoryRoot.path, command)
    let socket: String
    do {
      socket = try tmux("display-message", "-p", "#{socket_path}").trimmingCharacters(in: .whitespacesAndNewlines)
    } catch {
      _ = try? tmux("kill-server")
      throw error
    }
    return TerminalChat(tmux: tmux, exitFile: exitFile, socket: socket)
  }

  /// Types text literally, as a person would.
  func type(_ text: String) throws {
    try tmux("send-keys", "-t", Self.target, "-l", text)
  }

  /// Presses keys by their tmux names: `Enter`, `Tab`, `Up`, `C-c`, `C-d`.
  func press(_ keys: String...) throws {
    try tmux(["send-keys", "-t", Self.target] + keys)
  }

  func screen() throws -> Screen {
    Screen(capture: try tmux("capture-pane", "-p", "-J", "-t", Self.target))
  }

  /// Polls the screen until `condition` holds; fails with the last screen after `timeout`.
  @discardableResult
  func waitForScreen(
    _ expectation: String, timeout: Duration = .seconds(10), until condition: (Screen) -> Bool
  ) async throws -> Screen {
    let deadline = ContinuousClock.now + timeout
    while true {
      let screen: Screen
      do {
        screen = try self.screen()
      } catch {
        guard let exit = exitLine() else { throw error }
        throw EndToEndFailure("policychat ended (\(exit)) while the test waited for \(expectation).")
      }
      if condition(screen) { return screen }
      if ContinuousClock.now > deadline {
        throw EndToEndFailure("Timed out waiting for \(expectation). The screen shows:\n\(screen)")
      }
      try await Task.sleep(for: .milliseconds(50))
    }
  }

  /// Waits for the program to end and returns the shell's `EXIT=<status>` line.
  func waitForExit(timeout: Duration = .seconds(10)) async throws -> String {
    let deadline = ContinuousClock.now + timeout
    while true {
      if let line = exitLine() { return line }
      if ContinuousClock.now > deadline {
        let screen = (try? self.screen())?.description ?? "(no screen: the session is gone)"
        throw EndToEndFailure("policychat did not exit within \(timeout). The screen shows:\n\(screen)")
      }
      try await Task.sleep(for: .milliseconds(50))
    }
  }

  /// The shell's `EXIT=<status>` line, once the program has ended.
  private func exitLine() -> String? {
    guard let data = FileManager.default.contents(atPath: exitFile.path) else { return nil }
    let line = String(decoding: data, as: UTF8.self)
    return line.hasSuffix("\n") ? line.trimmingCharacters(in: .whitespacesAndNewlines) : nil
  }

  /// Ends the tmux server, and with it the program if it still runs.
  func stop() {
    _ = try? tmux("kill-server")
    // tmux leaves its socket behind; one per test run would pile up.
    try? FileManager.default.removeItem(atPath: socket)
    try? FileManager.default.removeItem(at: exitFile)
  }

  private static func quoted(_ argument: String) -> String {
    "'" + argument.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
  }
}
