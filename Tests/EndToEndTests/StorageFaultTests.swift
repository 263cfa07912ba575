import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A database the built binary cannot write (issue 10): at start-up one clear line and a
/// non-zero exit; while running, questions are still answered and what must not be lost is
/// refused as a storage error.
///
/// A full disk cannot be made here without root (a small filesystem needs a mount): the
/// engine's own StorageFaultTests fill the database with SQLite's `max_page_count`.
@Suite struct StorageFaultTests {
  private let folder: URL
  private let database: String

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-storage-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    database = folder.appendingPathComponent("chat.sqlite").path
  }

  // MARK: At start-up

  @Test(arguments: ["serve", "chat"])
  func aReadOnlyDatabaseFileStopsTheStartWithOneLine(command: String) async throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    try await makeDatabase()
    try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: database)
    let run = try await runUnprivileged([command, "--db", database, "--home", PolicyChatBinary.repositoryRoot.path])
    #expect(run.termination == .exit(2))
    #expect(run.output.isEmpty, "\(run.output)")
    #expect(
      run.errorOutput
        == "policychat: storage error: cannot use the database \(database): SQLite error 8: attempt to write a "
        + "readonly database (the file or its folder is read-only)\n")
  }

  @Test func aReadOnlyFolderStopsTheStartWithOneLine() async throws {
    defer {
      try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder.path)
      try? FileManager.default.removeItem(at: folder)
    }
    try await makeDatabase()
    let missing = folder.appendingPathComponent("new.sqlite").path
    try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: folder.path)
    // An existing file, whose write-ahead log cannot be made beside it.
    let existing = try await runUnprivileged([
      "serve", "--db", database, "--home", PolicyChatBinary.repositoryRoot.path,
    ])
    #expect(existing.termination == .exit(2))
    #expect(existing.errorOutput.hasPrefix("policychat: storage error: cannot use the database \(database): "))
    #expect(existing.errorOutput.hasSuffix("(the file or its folder is read-only)\n"), "\(existing.errorOutput)")
    // A file that cannot be created: its key file beside it cannot be either, and that is
    // the first thing a new database needs.
    let new = try await runUnprivileged(["serve", "--db", missing, "--home", PolicyChatBinary.repositoryRoot.path])
    #expect(new.termination == .exit(2))
    #expect(
      new.errorOutput
        == "policychat: storage error: cannot create the data key file \(missing).key: Permission denied "
        + "(give a key with --key-file or POLICYCHAT_DATA_KEY; docs/SECURITY.md)\n")
    // With a key given, the database's own error.
    let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-\(UUID().uuidString).key")
    try (String(repeating: "ab", count: 32) + "\n").write(to: keyFile, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: keyFile) }
    let keyed = try await runUnprivileged([
      "serve", "--db", missing, "--key-file", keyFile.path, "--home", PolicyChatBinary.repositoryRoot.path,
    ])
    #expect(keyed.termination == .exit(2))
    #expect(
      keyed.errorOutput
        == "policychat: storage error: cannot use the database \(missing): SQLite error 14: unable to open database "
        + "file (the file cannot be opened or created: check its folder's permissions)\n")
  }

  // MARK: While running

  @Test("A database that cannot be written while serving: answers go on, a consent is -32003")
  func serveAnswersWhileTheDatabaseCannotBeWritten() async throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let sqlite = try locateExecutable("sqlite3", purpose: "it holds a lock on the server's database")
    let client = try ServeClient.start(database: database)
    defer { client.stop() }
    let session = try await client.openSession(["country": "ZA"])
    _ = try await client.call("age.declare", ["sessionId": .string(session), "age": 30])

    // Another process holds the database: every write fails after the busy timeout, as on a
    // file that cannot be written.
    let lock = try DatabaseLock(sqlite: sqlite, database: database, folder: folder)
    do {
      defer { lock.release() }
      try await lock.waitUntilHeld()
      let answered = try await client.say("Do you sell my data?", in: session)
      #expect(answered.result?["intent"]?.string == "policy.sharing", "\(answered.text)")
      #expect(answered.result?["events"]?.array?.contains(Self.notKept) == true, "\(answered.text)")
      let refused = try await client.call(
        "consent.set", ["sessionId": .string(session), "purpose": "marketing", "granted": true])
      #expect(refused.errorCode == -32003 && refused.reason == "storage", "\(refused.text)")
      #expect(
        refused["error"]?["message"]?.string
          == "Storage error: the database could not be written, so this was not recorded")
      let again = try await client.say("Do you sell my data?", in: session)
      #expect(again.result?["intent"]?.string == "policy.sharing", "\(again.text)")
    }
    // Free again: the consent is recorded, and the turns are kept again.
    let given = try await client.call(
      "consent.set", ["sessionId": .string(session), "purpose": "marketing", "granted": true])
    #expect(given.result?["state"]?["consents"]?["marketing"]?.string == "given", "\(given.text)")
    #expect(given.result?["events"]?.array?.contains(Self.notKept) == false)
    client.closeInput()
    #expect(try await client.waitForExit() == .exit(0))
    // The operator is told once, without what was typed.
    let warnings = client.errorOutput.split(separator: "\n").filter { $0.hasPrefix("policychat: warning: ") }
    #expect(warnings.count == 1, "\(client.errorOutput)")
    #expect(warnings.first?.contains("SQLite error 5") == true, "\(client.errorOutput)")
    #expect(!client.errorOutput.contains("sell"))
  }

  @Test("A database that cannot be written in the chat: answers go on, a consent gets one line")
  func chatAnswersWhileTheDatabaseCannotBeWritten() async throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let sqlite = try locateExecutable("sqlite3", purpose: "it holds a lock on the chat's database")
    try await makeDatabase()
    ServeClient.ignoreBrokenPipes
    var ends: [Int32] = [-1, -1]
    try ChildProcess.withSpawningPaused {
      guard pipe(&ends) == 0 else { throw EndToEndFailure("Cannot create a pipe.") }
      for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    }
    defer { ChildProcess.withSpawningPaused { _ = close(ends[1]) } }
    let output = folder.appendingPathComponent("stdout")
    let errorOutput = folder.appendingPathComponent("stderr")
    let chat = try ChildProcess.spawn(
      try PolicyChatBinary.url(), arguments: ["--db", database, "--home", PolicyChatBinary.repositoryRoot.path],
      input: ends[0], output: output, errorOutput: errorOutput)
    close(ends[0])
    // The lock comes once the chat is open: a database locked at start-up stops the start.
    let deadline = ContinuousClock.now + .seconds(30)
    while !((try? String(contentsOf: output, encoding: .utf8)) ?? "").contains("automated") {
      guard ContinuousClock.now < deadline else { throw EndToEndFailure("The chat did not open.") }
      try await Task.sleep(for: .milliseconds(20))
    }
    let lock = try DatabaseLock(sqlite: sqlite, database: database, folder: folder)
    defer { lock.release() }
    try await lock.waitUntilHeld()
    let input = ["Do you sell my data?", "/age 1990-01-01", "/consent on marketing", "Do you sell my data?"]
    let bytes = Array(input.map { $0 + "\n" }.joined().utf8)
    // A few bytes into an empty pipe: the write neither blocks nor is cut short.
    #expect(bytes.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) } == bytes.count)
    ChildProcess.withSpawningPaused {
      _ = close(ends[1])
      ends[1] = -1
    }
    #expect(try await chat.wait(timeout: .seconds(120)) == .exit(0))
    let said = String(decoding: try Data(contentsOf: output), as: UTF8.self)
    let errors = String(decoding: try Data(contentsOf: errorOutput), as: UTF8.self)
    // Both questions answered; the consent not, and said so in one line.
    #expect(said.components(separatedBy: "does not sell").count == 3, "\(said)")
    let lines = errors.split(separator: "\n")
    #expect(lines.filter { $0.hasPrefix("policychat: warning: ") }.count == 1, "\(errors)")
    let refused = lines.filter { $0.hasPrefix("policychat: storage error: ") }
    #expect(refused.count == 1, "\(errors)")
    #expect(refused.first?.hasSuffix("; nothing was recorded, questions are still answered") == true)
    #expect(!errors.contains("1990") && !errors.contains("sell"))
  }

  // MARK: Helpers

  private static let notKept: JSON = ["type": "storage.warning", "data": ["recorded": "false"]]

  /// A migrated database file, made by a chat that ends at once.
  private func makeDatabase() async throws {
    let chat = try await PipedChat.run(
      [], arguments: ["--db", database, "--home", PolicyChatBinary.repositoryRoot.path])
    #expect(chat.termination == .exit(0), "\(chat.errorOutput)")
  }

  /// Runs the binary so that file permissions apply to it: as root, without the
  /// capabilities that override them (through setpriv), else as it is.
  private func runUnprivileged(_ arguments: [String]) async throws -> PipedTranscript {
    var executable = try PolicyChatBinary.url()
    var all = arguments
    if geteuid() == 0 {
      let capabilities = "-dac_override,-dac_read_search"
      all = ["--bounding-set=" + capabilities, "--inh-caps=" + capabilities, executable.path] + arguments
      executable = try locateExecutable("setpriv", purpose: "as root, it drops what overrides file permissions")
    }
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-out-\(UUID().uuidString)")
    let errorOutput = output.appendingPathExtension("err")
    defer {
      try? FileManager.default.removeItem(at: output)
      try? FileManager.default.removeItem(at: errorOutput)
    }
    let child = try ChildProcess.spawn(executable, arguments: all, output: output, errorOutput: errorOutput)
    let termination = try await child.wait(timeout: .seconds(30))
    return PipedTranscript(
      output: String(decoding: try Data(contentsOf: output), as: UTF8.self),
      errorOutput: String(decoding: try Data(contentsOf: errorOutput), as: UTF8.self), termination: termination)
  }
}
