import Foundation

/// Where the engine finds its data and what it uses for time and randomness.
public struct EngineConfiguration: Sendable {
  /// The folder that holds `knowledge/` and `intents/`.
  public var home: URL
  public var database: DatabaseLocation
  public var clock: any EngineClock
  public var random: any RandomSource
  /// Longer messages are not read: they are refused with a short reply, so that a pasted
  /// document cannot tie up the engine.
  public var maxMessageCharacters: Int
  /// Told, once, when a record that only logs the conversation (a turn's metadata, kept
  /// chat text) could not be written, so that the host can warn its operator: the answer
  /// still goes out. The text holds the database's reason, never personal data. The engine
  /// itself does no I/O; the command-line front ends write it to stderr.
  public var storageWarning: (@Sendable (String) -> Void)?
  /// The keys that encrypt contact details in the database; nil: a key file beside a
  /// database file (made on first use), a key of its own for an in-memory one.
  public var dataKeys: DataKeys?

  public init(
    home: URL, database: DatabaseLocation = .inMemory, clock: any EngineClock = SystemClock(),
    random: any RandomSource = SystemRandomSource(), maxMessageCharacters: Int = 4_000,
    storageWarning: (@Sendable (String) -> Void)? = nil, dataKeys: DataKeys? = nil
  ) {
    self.home = home
    self.database = database
    self.clock = clock
    self.random = random
    self.maxMessageCharacters = maxMessageCharacters
    self.storageWarning = storageWarning
    self.dataKeys = dataKeys
  }
}

/// Where sessions and turn records are kept.
public enum DatabaseLocation: Sendable, Equatable {
  /// Nothing is written to disk.
  case inMemory
  /// A SQLite file, created and migrated when missing.
  case file(String)
  /// A PostgreSQL database, migrated when behind: the store of a deployment on several
  /// machines (PolicyChatPostgres's `PostgresSessionStore`; docs/DEPLOYMENT.md).
  case postgres(PostgresAddress)

  /// Reads a command-line value: `:memory:`, a `postgres://` or `postgresql://` URL, or a
  /// path. Anything else that looks like a URL (`scheme://...`) is an error: a mistyped
  /// scheme must not become a SQLite file named after the URL, with a password in its name.
  public static func parse(_ argument: String) throws(EngineError) -> DatabaseLocation {
    if argument == ":memory:" { return .inMemory }
    if let separator = argument.range(of: "://") {
      let scheme = argument[..<separator.lowerBound]
      if !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) {
        guard PostgresAddress.schemes.contains(scheme.lowercased()) else {
          throw .storage(
            reason:
              "the database \(scheme)://... is of no known kind: a postgres:// URL, :memory: or a SQLite file path"
          )
        }
        return .postgres(try PostgresAddress.parse(argument))
      }
    }
    return .file(argument)
  }

  /// The default of the design: `$POLICYCHAT_DB`, else
  /// `$XDG_DATA_HOME/policychat/policychat.sqlite` (XDG_DATA_HOME defaulting to
  /// `~/.local/share`).
  public static func standard(environment: [String: String]) throws(EngineError) -> DatabaseLocation {
    if let path = environment["POLICYCHAT_DB"], !path.isEmpty {
      return try parse(path)
    }
    let dataHome: String
    if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
      dataHome = xdg
    } else {
      let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
      dataHome = home + "/.local/share"
    }
    return .file(dataHome + "/policychat/policychat.sqlite")
  }
}
