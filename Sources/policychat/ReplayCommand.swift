import ArgumentParser
import Foundation
import PolicyChatReplay

/// `policychat replay [PATH...]`: replay transcript fixtures and report, for QA and CI.
struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Replay transcripts (YAML) and serve recordings (JSON lines); exit 1 if any fails.",
    discussion: "The format is in docs/TRANSCRIPTS.md."
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
    let (files, missing) = Replay.files(in: paths.isEmpty ? ["transcripts"] : paths)
    for path in missing {
      StandardError.write("policychat: no such file or folder: \(path)")
    }
    let replay = Replay(options: .init(home: home, filter: filter, update: update))
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
}
