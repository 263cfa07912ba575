import Foundation
import Testing

@testable import PolicyChat

/// `--db` values: a PostgreSQL URL is read whole, a mistyped scheme is an error and never a
/// file, and a password shows nowhere.
@Suite struct PostgresAddressTests {
  @Test func aURLIsReadWithItsPartsAndDefaults() throws {
    let full = try PostgresAddress.parse("postgresql://app:s3cr%40t@db.example.org:6543/chat?schema=tenant_1")
    #expect(
      full
        == PostgresAddress(
          user: "app", password: "s3cr@t", host: "db.example.org", port: 6543, database: "chat", schema: "tenant_1"))
    let short = try PostgresAddress.parse("postgres://app@[::1]/chat")
    #expect(short.host == "::1" && short.port == 5432 && short.password == nil && short.schema == nil)
    #expect(
      try DatabaseLocation.parse("postgres://app@h/chat")
        == .postgres(PostgresAddress(user: "app", host: "h", database: "chat")))
    #expect(try DatabaseLocation.parse(":memory:") == .inMemory)
    #expect(try DatabaseLocation.parse("data/chat.sqlite") == .file("data/chat.sqlite"))
  }

  @Test func aWrongURLIsAnErrorThatShowsNoPassword() {
    for bad in [
      "mysql://app:hunter2@h/chat", "postgres://app:hunter2@h", "postgres://:hunter2@h/chat",
      "postgres://app:hunter2@h:99999/chat", "postgres://app:hunter2@h/chat?schema=Bad-Name",
      "postgres://app:hunter2@h/chat?sslmode=require",
    ] {
      #expect(throws: EngineError.self, "\(bad)") { try DatabaseLocation.parse(bad) }
      do {
        _ = try DatabaseLocation.parse(bad)
      } catch {
        #expect(!error.description.contains("hunter2"), "\(error.description)")
      }
    }
    let address = PostgresAddress(user: "app", password: "hunter2", host: "h", database: "chat")
    #expect(!address.description.contains("hunter2"))
    #expect(!"\(DatabaseLocation.postgres(address))".contains("hunter2"))
  }

  @Test func thePasswordComesFromTheURLThenPGPASSWORDThenAPrivatePgpassFile() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("pgpass").path
    try Data("# comment\nother:5432:*:app:wrong\nh:5432:chat:app:from\\:file\n".utf8).write(
      to: URL(fileURLWithPath: file))
    _ = chmod(file, 0o600)
    var address = try PostgresAddress.parse("postgres://app@h/chat")
    #expect(address.password(environment: ["PGPASSFILE": file]) == "from:file")
    #expect(address.password(environment: ["PGPASSFILE": file, "PGPASSWORD": "env"]) == "env")
    address.password = "url"
    #expect(address.password(environment: ["PGPASSFILE": file, "PGPASSWORD": "env"]) == "url")
    // A file others can read is not trusted with a password, as libpq refuses it.
    _ = chmod(file, 0o644)
    #expect(try PostgresAddress.parse("postgres://app@h/chat").password(environment: ["PGPASSFILE": file]) == nil)
  }
}
