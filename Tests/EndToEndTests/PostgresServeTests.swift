import Foundation
import Testing

/// The database `$POLICYCHAT_TEST_POSTGRES` names, if any.
let testPostgresURL = ProcessInfo.processInfo.environment["POLICYCHAT_TEST_POSTGRES"].flatMap {
  $0.isEmpty ? nil : $0
}

/// Two `policychat serve` processes on one PostgreSQL database, as on two machines: what
/// one records the other sees at once, and the officer's queue lists requests from both.
/// Runs when `$POLICYCHAT_TEST_POSTGRES` names a database (CI starts one: .ci/postgres.sh).
@Suite(.enabled(if: testPostgresURL != nil, "needs $POLICYCHAT_TEST_POSTGRES"), .serialized)
struct PostgresServeTests {
  /// A schema of its own in the test database, and a data key file both servers share.
  private struct Deployment {
    let database: String
    let keyFile: String
    let folder: URL

    init() throws {
      let url = try #require(testPostgresURL)
      let separator = url.contains("?") ? "&" : "?"
      database = url + separator + "schema=policychat_e2e_" + UUID().uuidString.prefix(8).lowercased()
      folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-pg-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      keyFile = folder.appendingPathComponent("data.key").path
      let key = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
      try Data((key + "\n").utf8).write(to: URL(fileURLWithPath: keyFile))
      _ = chmod(keyFile, 0o600)
    }

    func server() throws -> ServeClient {
      try ServeClient.start(database: database, options: ["--key-file", keyFile])
    }
  }

  @Test("A consent given through one server holds in the other at once")
  func consentIsSharedBetweenServers() async throws {
    let deployment = try Deployment()
    defer { try? FileManager.default.removeItem(at: deployment.folder) }
    let first = try deployment.server()
    defer { first.stop() }
    let second = try deployment.server()
    defer { second.stop() }
    let device: JSON = ["deviceId": "pg-shared-device", "country": "ZA"]
    let one = try await first.openSession(device)
    let refused = try await first.call(
      "consent.set", ["sessionId": .string(one), "purpose": "marketing", "granted": false])
    #expect(refused.result?["state"]?["consents"]?["marketing"]?.string == "refused", "\(refused.text)")
    // A new session of the same device on the other server finds the consent recorded.
    let opened = try await second.call("session.open", device)
    #expect(
      opened.result?["state"]?["consents"]?["marketing"]?.string == "refused",
      "\(opened.text) / stderr: \(second.errorOutput)")
  }

  @Test("A request made through one server is listed by admin requests on the same database")
  func requestIsListedByTheOfficerQueue() async throws {
    let deployment = try Deployment()
    defer { try? FileManager.default.removeItem(at: deployment.folder) }
    let server = try deployment.server()
    defer { server.stop() }
    let session = try await server.openSession(["deviceId": "pg-request-device", "country": "ZA"])
    _ = try await server.say("I want a person to review this", in: session)
    let sent = try await server.say("thabo@example.org", in: session)
    let event = try #require(
      sent.result?["events"]?.array?.first { $0["type"]?.string == "verification.send" }, "\(sent.text)")
    let code = try #require(event["data"]?["code"]?.string)
    _ = try await server.say(code, in: session)
    let passed = try await server.say("please check the age decision you made about me", in: session)
    let reference = try #require(
      passed.replyText.firstMatch(of: /RQ-[0-9A-Z]{6}/).map { String($0.output) }, "\(passed.text)")

    let listed = try await PipedChat.run(
      [],
      arguments: [
        "admin", "requests", "--db", deployment.database, "--key-file", deployment.keyFile, "--home",
        PolicyChatBinary.repositoryRoot.path,
      ])
    #expect(listed.termination == .exit(0), "\(listed.errorOutput)")
    #expect(listed.output.contains(reference), "\(listed.output)")
  }

  @Test("Every transcript replays on PostgreSQL as it does on SQLite, each in a schema of its own")
  func transcriptsReplayOnPostgres() async throws {
    let url = try #require(testPostgresURL)
    let root = PolicyChatBinary.repositoryRoot
    let replayed = try await PipedChat.run(
      [], arguments: ["replay", "--db", url, "--home", root.path, root.appendingPathComponent("transcripts").path])
    #expect(replayed.termination == .exit(0), "\(replayed.output)\n\(replayed.errorOutput)")
    #expect(replayed.output.contains(" 0 failed"), "\(replayed.output)")
    // Every schema was dropped: stderr would say which one was not.
    #expect(!replayed.errorOutput.contains("not dropped"), "\(replayed.errorOutput)")
  }
}
