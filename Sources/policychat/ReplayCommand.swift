import ArgumentParser
import Foundation
import PolicyChat
import PolicyChatReplay

/// `policychat replay [PATH...]`: replay transcript fixtures and report, for QA and CI.
struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Replay transcripts (YAML) and serve recordings (JSON lines); exit 1 if any fails.",
    discussion: """
      The format is in docs/TRANSCRIPTS.md. Each file replays on a new database: in memory, or \
      with --db postgres://… a new schema of that database, dropped afterwards.
      """
  )

  @OptionGroup var options: GlobalOptions

  @Argument(help: "Transcript files or folders (default: transcripts/).")
  var paths: [String] = []

  @Option(help: "Also write a JUnit XML report to FILE.")
  var junit: String?

  @Option(help: "Replay only transcripts whose name or file contains TEXT.")
  var filter: String?

  @Flag(help: "Rewrite failing expectations from the actual output, and say what changed.")
  var update = false

  func run() throws {
    let home: URL
    do {
      home = try options.configuration().home
    } catch {
      StandardError.write("policychat: \(error.description)")
      throw ExitCode(2)
    }
    let database: any ReplayDatabase
    do {
      database = try replayDatabase()
    } catch {
      StandardError.write("policychat: \(error.description)")
      throw ExitCode(2)
    }
    let (files, missing) = Replay.files(in: paths.isEmpty ? ["transcripts"] : paths)
    for path in missing {
      StandardError.write("policychat: no such file or folder: \(path)")
    }
    let replay = Replay(options: .init(home: home, filter: filter, update: update, database: database))
    let outcome = replay.run(files: files)
    print(ReplayReport.text(outcome, updating: update))
    if let junit {
      guard FileManager.default.createFile(atPath: junit, contents: Data(ReplayReport.junit(outcome).utf8)) else {
        StandardError.write("policychat: cannot write \(junit)")
        throw ExitCode(2)
      }
    }
    // After --update, a transcript whose expectations were rewritten no longer fails.
    let failed = outcome.failed - (update ? outcome.updated.count : 0)
    if failed > 0 || !missing.isEmpty || (files.isEmpty && paths.isEmpty) {
      throw ExitCode(1)
    }
  }

  /// Every file replays on a new, empty database: in memory unless `--db` names a
  /// PostgreSQL database, which then gets a new schema per file. `$POLICYCHAT_DB` is not
  /// read: a replay must never write to the records chat and serve keep.
  private func replayDatabase() throws(EngineError) -> any ReplayDatabase {
    guard let db = options.db else { return InMemoryReplayDatabase() }
    switch try DatabaseLocation.parse(db) {
    case .inMemory:
      return InMemoryReplayDatabase()
    case .postgres(let address):
      return PostgresReplayDatabase(address: address, environment: ProcessInfo.processInfo.environment)
    case .file:
      throw .storage(
        reason:
          "replay gives every file a new database: --db takes :memory: (the default) or a postgres:// URL, where each file gets a schema of its own"
      )
    }
  }
}
