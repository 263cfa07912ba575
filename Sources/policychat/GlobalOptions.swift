import ArgumentParser
import Foundation
import PolicyChat
import PolicyChatPostgres

/// Options every subcommand takes (DESIGN.md: `--home`, `--db`).
struct GlobalOptions: ParsableArguments {
  @Option(help: "Folder holding knowledge/ and intents/ (default: $POLICYCHAT_HOME, else the current folder).")
  var home: String?

  @Option(
    help: ArgumentHelp(
      "SQLite database file, :memory: for none, or postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?schema=NAME].",
      discussion: """
        Default: $POLICYCHAT_DB, else $XDG_DATA_HOME/policychat/policychat.sqlite. A PostgreSQL \
        password may instead come from $PGPASSWORD or ~/.pgpass (docs/DEPLOYMENT.md).
        """))
  var db: String?

  @Option(
    name: .customLong("db-pool"),
    help: ArgumentHelp(
      "Connections to a PostgreSQL database this process may hold at once.",
      discussion: "Default: $POLICYCHAT_DB_POOL, else 4. A SQLite file ignores it."))
  var dbPool: Int?

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

  func configuration() throws(EngineError) -> EngineConfiguration {
    let environment = ProcessInfo.processInfo.environment
    let homePath = Self.homePath(home, environment: environment)
    let database: DatabaseLocation
    if let db {
      database = try DatabaseLocation.parse(db)
    } else {
      database = try DatabaseLocation.standard(environment: environment)
    }
    return EngineConfiguration(home: URL(fileURLWithPath: homePath, isDirectory: true), database: database)
  }

  /// A home folder: the one given, else `$POLICYCHAT_HOME`, else the current folder.
  static func homePath(_ given: String?, environment: [String: String]) -> String {
    given ?? environment["POLICYCHAT_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? FileManager.default.currentDirectoryPath
  }

  /// The store `database` names: a PostgreSQL database's, or the SQLite store.
  func openStore(_ database: DatabaseLocation) throws(EngineError) -> any SessionStore {
    guard case .postgres(let address) = database else { return try SQLiteSessionStore(location: database) }
    let environment = ProcessInfo.processInfo.environment
    let size = dbPool ?? environment["POLICYCHAT_DB_POOL"].flatMap { Int($0) } ?? 4
    guard (1...1000).contains(size) else {
      throw .storage(reason: "--db-pool takes 1 to 1000 connections, not \(size)")
    }
    return try PostgresSessionStore(address: address, poolSize: size, environment: environment)
  }

  /// Builds the engine, or ends the program with the reason on stderr. A recording passes
  /// a fixed clock and a seed, so that what it records replays exactly.
  func makeEngine(clock: (any EngineClock)? = nil, seed: UInt64? = nil) throws -> Engine {
    // A turn whose record could not be written is still answered; the operator hears of it
    // here, once (the reason is the database's, never what was typed).
    do {
      var configuration = try configuration()
      if let clock { configuration.clock = clock }
      if let seed { configuration.random = SeededRandomSource(seed: seed) }
      configuration.storageWarning = { StandardError.write("policychat: warning: \($0)") }
      configuration.dataKeys = try dataKeys(for: configuration.database)
      return try Engine(configuration: configuration, store: openStore(configuration.database))
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
