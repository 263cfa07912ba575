import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An exclusive lock on an SQLite database, held by the sqlite3 shell in an open
/// transaction, so that the server's writes fail as on a database it cannot write.
final class DatabaseLock {
  private let process: ChildProcess
  private var input: Int32
  private let output: URL

  init(sqlite: URL, database: String, folder: URL) throws {
    ServeClient.ignoreBrokenPipes
    var ends: [Int32] = [-1, -1]
    try ChildProcess.withSpawningPaused {
      guard pipe(&ends) == 0 else { throw EndToEndFailure("Cannot create a pipe.") }
      for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    }
    output = folder.appendingPathComponent("sqlite3-\(UUID().uuidString).out")
    do {
      process = try ChildProcess.spawn(
        sqlite, arguments: [database], input: ends[0], output: output,
        errorOutput: folder.appendingPathComponent("sqlite3.err"))
    } catch {
      close(ends[0])
      close(ends[1])
      throw error
    }
    close(ends[0])
    input = ends[1]
    let commands = Array("BEGIN EXCLUSIVE;\nSELECT 'locked';\n".utf8)
    // A few bytes into an empty pipe: the write neither blocks nor is cut short.
    let written = commands.withUnsafeBytes { write(input, $0.baseAddress, $0.count) }
    guard written == commands.count else {
      release()
      throw EndToEndFailure("Cannot send the locking commands to sqlite3.")
    }
  }

  /// Waits until sqlite3 has the lock.
  func waitUntilHeld(timeout: Duration = .seconds(10)) async throws {
    let deadline = ContinuousClock.now + timeout
    while true {
      let said = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
      if said.contains("locked") { return }
      if ContinuousClock.now > deadline { throw EndToEndFailure("sqlite3 did not take the lock within \(timeout).") }
      try await Task.sleep(for: .milliseconds(10))
    }
  }

  /// Ends sqlite3, which rolls its transaction back and frees the database.
  func release() {
    guard input >= 0 else { return }
    ChildProcess.withSpawningPaused { _ = close(input) }
    input = -1
    _ = try? process.waitSynchronously()
  }

  deinit {
    release()
  }
}
