import Foundation
import PolicyChat
import PolicyChatPostgres

/// The PostgreSQL database the tests may use, from `$POLICYCHAT_TEST_POSTGRES` (a
/// `postgres://` URL; CI's comes from .ci/postgres.sh). Each store gets a schema of its own,
/// so that tests running at once share nothing but the server.
enum PostgresTesting {
  static var url: String? {
    ProcessInfo.processInfo.environment["POLICYCHAT_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
  }

  static func address(schema: String = "policychat_test_" + UUID().uuidString.prefix(8).lowercased())
    throws -> PostgresAddress
  {
    guard let url else { throw EngineError.storage(reason: "POLICYCHAT_TEST_POSTGRES is not set") }
    var address = try PostgresAddress.parse(url)
    address.schema = schema
    return address
  }

  static func freshStore(poolSize: Int = 4) throws -> PostgresSessionStore {
    try PostgresSessionStore(address: address(), poolSize: poolSize)
  }

  /// Drops a fresh store's schema, so that test runs leave nothing in a developer's
  /// database. It works on a store already closed (through a connection of its own).
  static func drop(_ store: PostgresSessionStore) {
    try? store.closeDatabase()
    try? PostgresSessionStore(address: store.address, poolSize: 1).dropSchema()
  }
}
