import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How a child process ended.
enum Termination: Equatable, CustomStringConvertible {
  case exit(Int32)
  case signal(Int32)

  var description: String {
    switch self {
    case .exit(let status): "exit status \(status)"
    case .signal(let number): "signal \(number)"
    }
  }
}

/// A program started with posix_spawn, with every signal unblocked and at its default action.
///
/// Foundation's `Process` passes on the signal mask of the thread that starts it, and the
/// test runner's threads block nearly every signal: the program under test would never see
/// its Ctrl-C, nor would tmux see kill-server.
struct ChildProcess: Sendable {
  let id: pid_t

  /// Starts `executable`; standard input comes from the descriptor `input` (nil: /dev/null),
  /// standard output and error go to the files `output` and `errorOutput`.
  static func spawn(
    _ executable: URL, arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
    input: Int32? = nil, output: URL, errorOutput: URL
  ) throws -> ChildProcess {
    try spawn(
      executable, arguments: arguments, environment: environment, input: input, output: .file(output),
      errorOutput: errorOutput)
  }

  /// Starts `executable` with standard output to the descriptor `output`, such as a pipe's
  /// writing end; standard input as above, standard error to the file `errorOutput`.
  static func spawn(
    _ executable: URL, arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
    input: Int32?, output: Int32, errorOutput: URL
  ) throws -> ChildProcess {
    try spawn(
      executable, arguments: arguments, environment: environment, input: input, output: .descriptor(output),
      errorOutput: errorOutput)
  }

  private enum Destination {
    case file(URL)
    case descriptor(Int32)
  }

  private static func spawn(
    _ executable: URL, arguments: [String], environment: [String: String], input: Int32?, output: Destination,
    errorOutput: URL
  ) throws -> ChildProcess {
    #if canImport(Darwin)
      var actions: posix_spawn_file_actions_t? = nil
      var attributes: posix_spawnattr_t? = nil
    #else
      var actions = posix_spawn_file_actions_t()
      var attributes = posix_spawnattr_t()
    #endif
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if let input {
      posix_spawn_file_actions_adddup2(&actions, input, STDIN_FILENO)
    } else {
      posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
    }
    let writeFlags = O_WRONLY | O_CREAT | O_TRUNC
    switch output {
    case .file(let url): posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, url.path, writeFlags, 0o600)
    case .descriptor(let descriptor): posix_spawn_file_actions_adddup2(&actions, descriptor, STDOUT_FILENO)
    }
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, errorOutput.path, writeFlags, 0o600)

    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    var everySignal = sigset_t()
    sigfillset(&everySignal)
    sigdelset(&everySignal, SIGKILL)
    sigdelset(&everySignal, SIGSTOP)
    posix_spawnattr_setsigdefault(&attributes, &everySignal)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv = ([executable.path] + arguments).map { strdup($0) }
    let envp = environment.map { strdup("\($0.key)=\($0.value)") }
    defer { for pointer in argv + envp { free(pointer) } }
    var id: pid_t = 0
    let result = withSpawningPaused {
      posix_spawn(&id, executable.path, &actions, &attributes, argv + [nil], envp + [nil])
    }
    guard result == 0 else {
      throw EndToEndFailure("Cannot start \(executable.path): \(String(cString: strerror(result)))")
    }
    return ChildProcess(id: id)
  }

  private static let spawning = Mutex(())

  /// Runs `body` while no child is being started, for descriptors that are not yet close-on-exec.
  static func withSpawningPaused<Result>(_ body: () throws -> Result) rethrows -> Result {
    try spawning.withLock { _ in try body() }
  }

  /// Waits for the end; after `timeout` the process is killed and this throws.
  func wait(timeout: Duration) async throws -> Termination {
    let deadline = ContinuousClock.now + timeout
    var status: Int32 = 0
    while true {
      let result = waitpid(id, &status, WNOHANG)
      if result == id { break }
      guard result == 0 || errno == EINTR else { throw EndToEndFailure("Cannot wait for process \(id).") }
      if ContinuousClock.now > deadline {
        kill(id, SIGKILL)
        waitpid(id, &status, 0)
        throw EndToEndFailure("Process \(id) was still running after \(timeout); it was killed.")
      }
      try await Task.sleep(for: .milliseconds(10))
    }
    return Self.termination(status)
  }

  /// Waits without a timeout, for short commands.
  func waitSynchronously() throws -> Termination {
    var status: Int32 = 0
    while waitpid(id, &status, 0) < 0 {
      guard errno == EINTR else { throw EndToEndFailure("Cannot wait for process \(id).") }
    }
    return Self.termination(status)
  }

  private static func termination(_ status: Int32) -> Termination {
    // The W* macros do not reach Swift: low 7 bits are the signal, 0 for a normal exit.
    let signal = status & 0x7f
    return signal == 0 ? .exit((status >> 8) & 0xff) : .signal(signal)
  }
}
