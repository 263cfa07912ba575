import Foundation
import PolicyChat
import Testing

/// The PostgreSQL database going away under a running `serve`: questions are still
/// answered, a write is refused with a storage error (never acknowledged and lost), and the
/// server reconnects by itself once the database is back. The database is a scratch one of
/// its own, so that the other tests on the server are not cut off with it.
@Suite(.enabled(if: testPostgresURL != nil, "needs $POLICYCHAT_TEST_POSTGRES"))
struct PostgresFaultTests {
  static let question = "how long do you keep my data?"

  @Test("The database going away mid-conversation, and coming back")
  func databaseGoesAwayAndComesBack() async throws {
    let url = try #require(testPostgresURL)
    let psql = try locateExecutable("psql", purpose: "it cuts the server off its database")
    let name = "policychat_fault_" + UUID().uuidString.prefix(8).lowercased()
    // Commands go through the maintenance database, which stays reachable.
    let maintenance = try #require(url.split(separator: "?")[0].range(of: "/", options: .backwards))
    let admin = String(url[..<maintenance.lowerBound]) + "/postgres"
    func sql(_ statement: String) throws {
      let process = Process()
      process.executableURL = psql
      process.arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=1", admin, "-c", statement]
      try process.run()
      process.waitUntilExit()
      guard process.terminationStatus == 0 else { throw EndToEndFailure("psql failed: \(statement)") }
    }
    try sql("CREATE DATABASE \(name)")
    defer { try? sql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
    let database = String(url[..<maintenance.lowerBound]) + "/" + name
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-fault-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let keyFile = folder.appendingPathComponent("data.key").path
    try Data((String(repeating: "ab", count: 32) + "\n").utf8).write(to: URL(fileURLWithPath: keyFile))
    _ = chmod(keyFile, 0o600)

    let server = try ServeClient.start(database: database, options: ["--key-file", keyFile, "--db-pool", "2"])
    defer { server.stop() }
    let session = try await server.openSession()
    let consent: JSON = ["sessionId": .string(session), "purpose": "marketing", "granted": false]
    let before = try await server.say(Self.question, in: session)
    #expect(!before.text.contains("storage.warning"), "\(before.text)")

    // Gone: no new connection is let in, and the server's open ones are cut.
    try sql("ALTER DATABASE \(name) ALLOW_CONNECTIONS false")
    try sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)'")
    let answered = try await server.say(Self.question, in: session)
    #expect(answered.replyText.contains("retain"), "\(answered.text)")
    #expect(answered.text.contains("storage.warning"), "\(answered.text)")
    let refused = try await server.call("consent.set", consent)
    #expect(refused.errorCode == -32003 && refused.reason == "storage", "\(refused.text)")
    // Nothing the server says on stderr names the database's password.
    let password = try #require(try PostgresAddress.parse(url).password, "the test URL has a password")
    #expect(!server.errorOutput.isEmpty && !server.errorOutput.contains(password), "\(server.errorOutput)")

    // Back: the next calls connect again, and the refused write can be made.
    try sql("ALTER DATABASE \(name) ALLOW_CONNECTIONS true")
    let recorded = try await server.call("consent.set", consent)
    #expect(recorded.result?["state"]?["consents"]?["marketing"]?.string == "refused", "\(recorded.text)")
    let after = try await server.say(Self.question, in: session)
    #expect(!after.text.contains("storage.warning"), "\(after.text)")
  }
}
