import ArgumentParser
import Foundation
import PolicyChat

/// Options every subcommand takes (DESIGN.md: `--home`, `--db`).
struct GlobalOptions: ParsableArguments {
  @Option(help: "Folder holding knowledge/ and intents/ (default: $POLICYCHAT_HOME, else the current folder).")
  var home: String?

  @Option(
    help: ArgumentHelp(
      "SQLite database file, or :memory: for none.",
      discussion: "Default: $POLICYCHAT_DB, else $XDG_DATA_HOME/policychat/policychat.sqlite."))
  var db: String?

  func configuration() -> EngineConfiguration {
    let environment = ProcessInfo.processInfo.environment
    let homePath =
      home ?? environment["POLICYCHAT_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? FileManager.default.currentDirectoryPath
    let database = db.map(DatabaseLocation.init(argument:)) ?? .standard(environment: environment)
    return EngineConfiguration(home: URL(fileURLWithPath: homePath, isDirectory: true), database: database)
  }

  /// Builds the engine, or ends the program with the reason on stderr.
  func makeEngine() throws -> Engine {
    do {
      return try Engine(configuration: configuration())
    } catch {
      StandardError.write("policychat: \(error.description)")
      throw ExitCode(2)
    }
  }
}
