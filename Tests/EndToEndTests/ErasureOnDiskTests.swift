import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An erasure over the protocol leaves nothing of what it deleted in any file beside the
/// database, while the server still runs and after it has exited: not in the database, not
/// in its write-ahead log, not in the shared-memory index, not in the key file.
@Suite("Erasure on disk")
struct ErasureOnDiskTests {
  static let secret = "zebra-quartz-4471"

  @Test("Chat text kept under logging consent is in no file once an erasure completes, nor after exit")
  func erasedChatTextIsInNoFile() async throws {
    try await erasure(exit: { client in client.closeInput() })
  }

  @Test("An erasure leaves no chat text behind when the server ends on SIGTERM")
  func erasedChatTextIsInNoFileAfterSIGTERM() async throws {
    try await erasure(exit: { client in client.sendSignal(SIGTERM) })
  }

  /// Keeps the secret under logging consent, checks it is on disk, erases, checks every file
  /// while the server runs, ends the server with `exit` and checks again.
  private func erasure(exit: (ServeClient) -> Void) async throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("policychat-erasure-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let database = folder.appendingPathComponent("chat.sqlite").path
    let client = try ServeClient.start(database: database)
    defer { client.stop() }

    let session = try await client.openSession(["country": "ZA", "deviceId": "laptop-erasure-e2e"])
    let id = JSON.string(session)
    _ = try await client.call("age.declare", ["sessionId": id, "age": 30])
    let consent = try await client.call(
      "consent.set", ["sessionId": id, "purpose": "session_logging", "granted": true])
    #expect(consent.result?["state"]?["logging"] == true, "\(consent.text)")
    _ = try await client.say("my passphrase is \(Self.secret)", in: session)
    _ = try await client.say("How long do you keep my data?", in: session)
    // Without this, the check below could pass for a text that was never written at all.
    #expect(try filesHolding(Self.secret, in: folder).contains("chat.sqlite-wal"), "not kept: nothing to erase")

    _ = try await client.call("request.start", ["sessionId": id, "type": "erasure"])
    let identified = try await client.call("request.identify", ["sessionId": id, "email": "zebra@example.org"])
    let events = identified.result?["events"]?.array ?? []
    let code = try #require(
      events.first { $0["type"] == "verification.send" }?["data"]?["code"]?.string, "\(identified.text)")
    _ = try await client.call("request.verify", ["sessionId": id, "code": .string(code)])
    let confirmed = try await client.call("request.confirm", ["sessionId": id, "confirm": true])
    #expect(confirmed.result?["intent"] == "request.erasure_done", "\(confirmed.text)")

    #expect(try filesHolding(Self.secret, in: folder) == [], "while the server runs")
    exit(client)
    #expect(try await client.waitForExit(timeout: .seconds(20)) == .exit(0), "stderr: \(client.errorOutput)")
    #expect(try filesHolding(Self.secret, in: folder) == [], "after the server exited")
    // A clean exit leaves no log: SQLite removes it when the last connection closes.
    #expect(!FileManager.default.fileExists(atPath: database + "-wal"), "the -wal file is left after exit")
    #expect(!client.errorOutput.contains("warning"), "stderr: \(client.errorOutput)")
  }

  /// The names of the files in `folder` whose raw bytes hold `text`.
  private func filesHolding(_ text: String, in folder: URL) throws -> [String] {
    let needle = Data(text.utf8)
    return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().filter { name in
      let data = try Data(contentsOf: folder.appendingPathComponent(name))
      return data.range(of: needle) != nil
    }
  }
}
