import Foundation

/// Where a PostgreSQL database is: `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?schema=NAME]`
/// (or `postgresql://`). The password may instead come from `$PGPASSWORD` or a
/// `.pgpass` file (``password(environment:)``), so that it need not be on a command line.
///
/// Its description never shows the password: errors and logs name the server by it.
public struct PostgresAddress: Sendable, Equatable, CustomStringConvertible {
  public var user: String
  /// The password written in the URL, if any.
  public var password: String?
  public var host: String
  public var port: Int
  public var database: String
  /// The schema the tables live in (created when missing); nil: PostgreSQL's default
  /// search path (`public`). Several deployments, or test runs, can share one database.
  public var schema: String?

  public init(
    user: String, password: String? = nil, host: String, port: Int = 5432, database: String, schema: String? = nil
  ) {
    self.user = user
    self.password = password
    self.host = host
    self.port = port
    self.database = database
    self.schema = schema
  }

  /// The URL's schemes; a value with another `scheme://` is an error, never a file name.
  public static let schemes = ["postgres", "postgresql"]

  /// `postgres://user@host/db`, without the password.
  public var description: String {
    var text = "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
    if let schema { text += "?schema=\(schema)" }
    return text
  }

  /// Reads a URL; the error says what is wrong with it but never repeats a password.
  public static func parse(_ url: String) throws(EngineError) -> PostgresAddress {
    func invalid(_ why: String) -> EngineError {
      .storage(reason: "the database URL is not a PostgreSQL URL (\(why)): postgres://USER[:PASSWORD]@HOST[:PORT]/DB")
    }
    guard let separator = url.range(of: "://") else { throw invalid("no scheme") }
    let scheme = url[..<separator.lowerBound].lowercased()
    guard schemes.contains(scheme) else { throw invalid("unknown scheme \(scheme)") }
    var rest = Substring(url[separator.upperBound...])
    var query: Substring = ""
    if let mark = rest.firstIndex(of: "?") {
      query = rest[rest.index(after: mark)...]
      rest = rest[..<mark]
    }
    guard let slash = rest.firstIndex(of: "/") else { throw invalid("no database name") }
    let authority = rest[..<slash]
    let databaseName = try decoded(rest[rest.index(after: slash)...], invalid("the database name"))
    guard !databaseName.isEmpty, !databaseName.contains("/") else { throw invalid("no database name") }
    guard let at = authority.lastIndex(of: "@") else { throw invalid("no user") }
    let credentials = authority[..<at]
    let server = authority[authority.index(after: at)...]
    var user = credentials
    var password: String?
    if let colon = credentials.firstIndex(of: ":") {
      user = credentials[..<colon]
      password = try decoded(credentials[credentials.index(after: colon)...], invalid("the password"))
    }
    let userName = try decoded(user, invalid("the user"))
    guard !userName.isEmpty else { throw invalid("no user") }
    let (host, port) = try hostAndPort(server, invalid)
    var address = PostgresAddress(
      user: userName, password: password, host: host, port: port, database: databaseName)
    for item in query.split(separator: "&") where !item.isEmpty {
      let parts = item.split(separator: "=", maxSplits: 1)
      let name = String(parts[0])
      let value = parts.count > 1 ? try decoded(parts[1], invalid("the value of \(name)")) : ""
      switch name {
      case "schema":
        guard isIdentifier(value) else {
          throw invalid("a schema is letters, digits and _, starting with a letter or _")
        }
        address.schema = value
      default: throw invalid("unknown setting \(name); the one known is schema")
      }
    }
    return address
  }

  private static func hostAndPort(
    _ server: Substring, _ invalid: (String) -> EngineError
  ) throws(EngineError) -> (String, Int) {
    var host = server
    var portText: Substring?
    if server.hasPrefix("[") {
      // An IPv6 address: [::1]:5432
      guard let close = server.firstIndex(of: "]") else { throw invalid("an unclosed [ in the host") }
      host = server[server.index(after: server.startIndex)..<close]
      let after = server[server.index(after: close)...]
      if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { throw invalid("the host") }
    } else if let colon = server.lastIndex(of: ":") {
      host = server[..<colon]
      portText = server[server.index(after: colon)...]
    }
    guard !host.isEmpty else { throw invalid("no host") }
    guard let portText else { return (String(host), 5432) }
    guard let port = Int(portText), (1...65_535).contains(port) else { throw invalid("the port") }
    return (String(host), port)
  }

  private static func decoded(_ text: Substring, _ error: EngineError) throws(EngineError) -> String {
    guard let value = String(text).removingPercentEncoding else { throw error }
    return value
  }

  static func isIdentifier(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, first == "_" || ("a"..."z").contains(first)
    else { return false }
    return name.count <= 63
      && name.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
  }

  /// The password to log in with: the URL's, else `$PGPASSWORD`, else the first matching
  /// line of `$PGPASSFILE` or `~/.pgpass` (`host:port:database:user:password`, `*` for
  /// any, as libpq reads it). A password file that others can read is ignored, as libpq does.
  public func password(environment: [String: String]) -> String? {
    if let password { return password }
    if let fromEnvironment = environment["PGPASSWORD"], !fromEnvironment.isEmpty { return fromEnvironment }
    let path =
      environment["PGPASSFILE"].flatMap { $0.isEmpty ? nil : $0 }
      ?? environment["HOME"].map { $0 + "/.pgpass" }
    guard let path, let text = Self.privateFile(path) else { return nil }
    for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
      let fields = Self.passFields(line)
      guard fields.count == 5 else { continue }
      let wanted = [host, String(port), database, user]
      if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
    }
    return nil
  }

  /// A file's text, if only its owner may read it.
  private static func privateFile(_ path: String) -> String? {
    var status = stat()
    guard stat(path, &status) == 0, status.st_mode & 0o077 == 0 else { return nil }
    return FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) }
  }

  /// A `.pgpass` line's fields: `:` separates them, `\:` and `\\` stand for themselves.
  private static func passFields(_ line: Substring) -> [String] {
    var fields: [String] = []
    var current = ""
    var escaped = false
    for character in line {
      if escaped {
        current.append(character)
        escaped = false
      } else if character == "\\" {
        escaped = true
      } else if character == ":" {
        fields.append(current)
        current = ""
      } else {
        current.append(character)
      }
    }
    fields.append(current)
    return fields
  }
}
