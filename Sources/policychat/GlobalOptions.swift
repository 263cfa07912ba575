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

  @Option(
    name: .customLong("key-file"),
    help: ArgumentHelp(
      "File holding the key that encrypts contact details in the database (64 hex digits).",
      discussion: """
        Default: $POLICYCHAT_KEY_FILE, else the key itself in $POLICYCHAT_DATA_KEY, else DB.key beside \
        the database file, made on first use (docs/SECURITY.md).
        """))
  var keyFile: String?

  @Option(
    name: .customLong("previous-key-file"),
    help: ArgumentHelp(
      "A key used before a rotation, to read what it encrypted; may be repeated.",
      discussion: "Default: $POLICYCHAT_PREVIOUS_KEY_FILES (paths separated by ':')."))
  var previousKeyFiles: [String] = []

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
      configuration.dataKeys = try dataKeys(for: configuration.database)
      return try Engine(configuration: configuration)
    } catch {
      StandardError.write("policychat: \(error.description)")
      throw ExitCode(2)
    }
  }

  /// The data keys the options and the environment name for `database`.
  func dataKeys(for database: DatabaseLocation) throws(EngineError) -> DataKeys {
    try DataKeys.resolve(
      keyFile: keyFile, previousKeyFiles: previousKeyFiles, environment: ProcessInfo.processInfo.environment,
      database: database)
  }
}
