import Foundation
import PolicyChat
import PostgresNIO
import Testing

@testable import PolicyChatPostgres

/// What the PostgreSQL store does beyond the conformance suite: its connections outlive
/// the engine's refusals and the server's cuts, and a throwaway schema goes whole.
@Suite(.enabled(if: PostgresTesting.url != nil, "needs $POLICYCHAT_TEST_POSTGRES"))
struct PostgresStoreTests {
  private static let consent = ConsentRecord(
    subject: "device:d1", sessionId: "s-1", purpose: "marketing", granted: true,
    at: Date(timeIntervalSince1970: 1_796_000_000), method: "chat", policyVersion: "1", jurisdiction: "ZA",
    expiresAt: nil)

  private static func backend(_ store: PostgresSessionStore) throws -> Int32 {
    try store.pool.with { connection in
      let rows = try store.pool.run("SELECT pg_backend_pid()", PostgresBindings(), on: connection).rows
      return try #require(rows.first).decode(Int32.self)
    }
  }

  @Test func aDroppedSchemaTakesEveryRecordWithIt() throws {
    let store = try PostgresTesting.freshStore()
    try store.save(Self.consent)
    let address = store.address
    try store.dropSchema()
    let again = try PostgresSessionStore(address: address, poolSize: 1)
    defer { PostgresTesting.drop(again) }
    #expect(try again.count(ConsentRecord.self, matching: .all) == 0)
  }

  @Test func aTransactionTheEngineRefusedGivesItsConnectionBack() throws {
    let store = try PostgresTesting.freshStore(poolSize: 1)
    defer { PostgresTesting.drop(store) }
    let before = try Self.backend(store)
    for _ in 0..<3 {
      #expect(throws: EngineError.self) {
        try store.atomically { () throws(EngineError) in
          try store.save(Self.consent)
          throw EngineError.invalidInput(field: "x", reason: "refused by the test")
        }
      }
    }
    #expect(try Self.backend(store) == before)
    #expect(try store.count(ConsentRecord.self, matching: .all) == 0)
  }

  @Test func anIdleConnectionTheServerCutIsReplacedNotWaitedOn() throws {
    let store = try PostgresTesting.freshStore(poolSize: 1)
    defer { PostgresTesting.drop(store) }
    let cut = try Self.backend(store)
    let other = try PostgresSessionStore(address: store.address, poolSize: 1)
    defer { try? other.closeDatabase() }
    try other.pool.with { connection in
      _ = try other.pool.run(
        "SELECT pg_terminate_backend($1::integer)", try PostgresSessionStore.binds(.integer(Int64(cut))), on: connection
      )
    }
    // The idle connection learns it was cut; the next statement then goes to a new one.
    let idle = try #require(store.pool.idleConnections.first)
    for _ in 0..<200 where !idle.isClosed { usleep(10_000) }
    try store.save(Self.consent)
    #expect(try store.count(ConsentRecord.self, matching: .all) == 1)
    #expect(try Self.backend(store) != cut)
  }
}
