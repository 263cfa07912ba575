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

  /// Builds the engine, or ends the program with the reason on stderr. A recording passes
  /// a fixed clock and a seed, so that what it records replays exactly.
  func makeEngine(clock: (any EngineClock)? = nil, seed: UInt64? = nil) throws -> Engine {
    var configuration = configuration()
    if let clock { configuration.clock = clock }
    if let seed { configuration.random = SeededRandomSource(seed: seed) }
    // A turn whose record could not be written is still answered; the operator hears of it
    // here, once (the reason is SQLite's, never what was typed).
    configuration.storageWarning = { StandardError.write("policychat: warning: \($0)") }
    do {
      return try Engine(configuration: configuration)
    } catch {
      StandardError.write("policychat: \(error.description)")
      throw ExitCode(2)
    }
  }
}
