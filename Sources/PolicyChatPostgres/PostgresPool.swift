import Foundation
import Logging
import NIOCore
import NIOPosix
import PolicyChat
import PostgresNIO
import Synchronization

/// The connections of one store: at most `size` at once, made when first needed, and made
/// again after the server went away. Every call of the store is synchronous (the engine's
/// turn is), so a call leases a connection and waits for its answer; it never runs on an
/// event loop of its own.
final class PostgresPool: Sendable {
  let address: PostgresAddress
  private let password: String?
  let size: Int
  private let logger: Logger
  private let idle = Mutex<[PostgresConnection]>([])
  private let free: DispatchSemaphore
  private let closed = Mutex(false)
  private let nextId = Atomic<Int>(0)
  /// How long a call waits for a connection of a full pool, or for the server to accept one.
  static let waitLimit: TimeInterval = 30

  init(address: PostgresAddress, password: String?, size: Int) {
    self.address = address
    self.password = password
    self.size = max(size, 1)
    free = DispatchSemaphore(value: max(size, 1))
    // PostgresNIO logs to the logger it is given; the store reports its errors itself, and
    // nothing may reach stdout, where `serve` speaks its protocol.
    logger = Logger(label: "policychat.postgres") { _ in SwiftLogNoOpLogHandler() }
  }

  /// Runs `body` with a connection of its own; a connection that failed is closed and not
  /// given back, so that the next call connects anew (the server may be back).
  func with<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
    guard !closed.withLock({ $0 }) else { throw EngineError.storage(reason: "the PostgreSQL store is closed") }
    guard free.wait(timeout: .now() + Self.waitLimit) == .success else {
      throw EngineError.storage(
        reason: "no connection to \(address) became free in \(Int(Self.waitLimit)) s (pool of \(size); --db-pool)")
    }
    defer { free.signal() }
    let connection = try reusable() ?? connect()
    do {
      let result = try body(connection)
      if connection.isClosed { return result }
      idle.withLock { $0.append(connection) }
      return result
    } catch {
      if Self.lostConnection(error) || connection.isClosed {
        Self.discard(connection)
      } else {
        idle.withLock { $0.append(connection) }
      }
      throw error
    }
  }

  /// Whether `error` leaves its connection unusable. A server error (a refused insert, a
  /// conflict) and the engine's own errors (a body that refused, then rolled back) leave it
  /// as good as before; a PostgresNIO error without the server's answer, or a statement
  /// that was never answered, does not.
  private static func lostConnection(_ error: any Error) -> Bool {
    if error is GivenUp || error is Lost { return true }
    if let error = error as? PSQLError { return error.serverInfo == nil }
    return !(error is EngineError)
  }

  /// The connections idle now, for tests.
  var idleConnections: [PostgresConnection] { idle.withLock { $0 } }

  /// An idle connection still open. One the server cut while it was idle (a restart,
  /// `pg_terminate_backend`) is usually seen closed by now and is dropped here, so that the
  /// statement goes to a new connection instead of waiting out ``statementLimit`` on it.
  private func reusable() -> PostgresConnection? {
    while let connection = idle.withLock({ $0.popLast() }) {
      if !connection.isClosed { return connection }
      Self.discard(connection)
    }
    return nil
  }

  private func connect() throws -> PostgresConnection {
    var configuration = PostgresConnection.Configuration(
      host: address.host, port: address.port, username: address.user, password: password,
      database: address.database, tls: .disable)
    configuration.options.connectTimeout = .seconds(Int64(Self.waitLimit / 3))
    let connection = try PostgresConnection.connect(
      on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration,
      id: nextId.add(1, ordering: .relaxed).newValue, logger: logger
    ).wait()
    do {
      if let schema = address.schema {
        // The search path of every statement of this connection: the schema's tables.
        _ = try connection.query(PostgresQuery(unsafeSQL: "SET search_path TO \"\(schema)\""), logger: logger).wait()
      }
      return connection
    } catch {
      Self.discard(connection)
      throw error
    }
  }

  /// Closes a connection without waiting: one the server cut may never say it is closed,
  /// and a turn must not hang on it. The closure holds the connection until it is.
  private static func discard(_ connection: PostgresConnection) {
    connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
  }

  /// One statement on `connection`, its rows collected.
  func run(_ sql: String, _ binds: PostgresBindings, on connection: PostgresConnection) throws -> PostgresQueryResult {
    try answer(connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger), on: connection)
  }

  /// How long a statement may take before its connection is given up: a connection the
  /// server cut while it was idle (a restart, `pg_terminate_backend`) was seen to leave the
  /// next statement's answer pending for ever.
  static let statementLimit: TimeAmount = .seconds(10)

  private struct Unanswered: Error {}

  /// A failure after which the connection could not even roll back.
  struct Lost: Error {
    let underlying: any Error
  }

  /// A statement not answered in ``statementLimit``: its connection was given up.
  struct GivenUp: Error, CustomStringConvertible {
    let server: String
    var description: String {
      "the PostgreSQL server \(server) did not answer in 10 s; the connection is given up"
    }
  }

  private func answer<T: Sendable>(_ future: EventLoopFuture<T>, on connection: PostgresConnection) throws -> T {
    let promise = future.eventLoop.makePromise(of: T.self)
    future.cascade(to: promise)
    let limit = future.eventLoop.scheduleTask(in: Self.statementLimit) { promise.fail(Unanswered()) }
    do {
      let value = try promise.futureResult.wait()
      limit.cancel()
      return value
    } catch is Unanswered {
      Self.discard(connection)
      throw GivenUp(server: "\(address.host):\(address.port)")
    }
  }

  // PostgresNIO requires every connection closed before it goes.
  deinit { close() }

  func close() {
    closed.withLock { $0 = true }
    for connection in idle.withLock({ list in
      defer { list = [] }
      return list
    }) {
      _ = try? connection.close().wait()
    }
  }
}
