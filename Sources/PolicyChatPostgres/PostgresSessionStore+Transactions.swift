import Foundation
import PolicyChat
import PostgresNIO

/// One connection per transaction, for every store call made inside it; statements outside
/// one stand alone, tried again when PostgreSQL rolled them back for a conflict.
extension PostgresSessionStore {
  /// The transaction `atomically` has open on this thread, for the calls made inside it.
  final class OpenTransaction: Sendable {
    let connection: PostgresConnection
    let store: ObjectIdentifier

    init(connection: PostgresConnection, store: ObjectIdentifier) {
      self.connection = connection
      self.store = store
    }
  }

  @TaskLocal static var openTransaction: OpenTransaction?

  var transactionConnection: PostgresConnection? {
    guard let open = Self.openTransaction, open.store == ObjectIdentifier(self) else { return nil }
    return open.connection
  }

  /// How often a statement rolled back by a serialization failure or a deadlock is tried.
  static let attempts = 4

  public func atomically<T>(_ body: () throws(EngineError) -> T) throws(EngineError) -> T {
    if transactionConnection != nil { return try body() }
    var failure: EngineError?
    do {
      return try pool.with { connection in
        _ = try pool.run("BEGIN", PostgresBindings(), on: connection)
        do {
          // One writer at a time across every machine (see the type's comment).
          _ = try pool.run("SELECT pg_advisory_xact_lock($1)", Self.binds(.integer(lockKey)), on: connection)
          let open = OpenTransaction(connection: connection, store: ObjectIdentifier(self))
          let value = try Self.$openTransaction.withValue(open) { () throws -> T in
            do throws(EngineError) {
              return try body()
            } catch {
              failure = error
              throw error
            }
          }
          _ = try pool.run("COMMIT", PostgresBindings(), on: connection)
          return value
        } catch {
          // A transaction that cannot be rolled back lost its connection, whatever the body
          // threw: the pool must not give that connection out again.
          if (try? pool.run("ROLLBACK", PostgresBindings(), on: connection)) == nil {
            throw PostgresPool.Lost(underlying: error)
          }
          throw error
        }
      }
    } catch {
      if let failure { throw failure }
      throw .storage(reason: describe(error))
    }
  }

  /// Runs `statement` on the open transaction's connection, else on one of the pool's.
  /// `savepoint`: inside a transaction, a failure of this statement (a refused insert the
  /// engine may expect) leaves the transaction usable, as in SQLite.
  func standalone<T>(
    savepoint: Bool = false, _ statement: (PostgresConnection) throws -> T
  ) throws(EngineError) -> T {
    do {
      if let connection = transactionConnection {
        guard savepoint else { return try statement(connection) }
        _ = try pool.run("SAVEPOINT policychat_statement", PostgresBindings(), on: connection)
        do {
          let value = try statement(connection)
          _ = try pool.run("RELEASE SAVEPOINT policychat_statement", PostgresBindings(), on: connection)
          return value
        } catch {
          _ = try? pool.run("ROLLBACK TO SAVEPOINT policychat_statement", PostgresBindings(), on: connection)
          throw error
        }
      }
      var attempt = 1
      while true {
        do {
          return try pool.with(statement)
        } catch let error as PSQLError where attempt < Self.attempts && Self.isConflict(error) {
          attempt += 1
          // A short, random wait, so that two retrying statements do not meet again.
          usleep(UInt32.random(in: 1_000...(10_000 * UInt32(attempt))))
        }
      }
    } catch let error as EngineError {
      throw error
    } catch {
      throw .storage(reason: describe(error))
    }
  }

  private static func isConflict(_ error: PSQLError) -> Bool {
    let state = error.serverInfo?[.sqlState]
    return state == "40001" || state == "40P01"
  }
}

extension PostgresSessionStore {
  /// What went wrong, for an error message: PostgreSQL's code and message, or that the
  /// server cannot be reached. Never the statement's values, nor the server's detail line
  /// (it quotes the values of a conflicting key), nor a password.
  func describe(_ error: any Error) -> String {
    if let engine = error as? EngineError, case .storage(let reason) = engine { return reason }
    if let givenUp = error as? PostgresPool.GivenUp { return givenUp.description }
    if let lost = error as? PostgresPool.Lost { return describe(lost.underlying) }
    if let error = error as? PSQLError {
      if let info = error.serverInfo {
        let state = info[.sqlState] ?? "?"
        return "PostgreSQL error \(state): \(info[.message] ?? "no message")"
      }
      return "the PostgreSQL server \(address.host):\(address.port) cannot be reached (\(error.code))"
    }
    return "the PostgreSQL server \(address.host):\(address.port) cannot be reached (\(type(of: error)))"
  }
}
