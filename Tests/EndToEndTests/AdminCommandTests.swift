import Foundation
import PolicyChat
import Testing

/// `policychat admin purge` and `policychat admin export`, run as the privacy officer would.
@Suite("Admin commands")
struct AdminCommandTests {
  private func admin(_ arguments: [String]) async throws -> PipedTranscript {
    try await PipedChat.run([], arguments: ["admin"] + arguments + ["--home", PolicyChatBinary.repositoryRoot.path])
  }

  @Test("export prints a session's stored records as JSON; purge --dry-run counts and deletes nothing")
  func exportAndPurge() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-admin-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("db.sqlite").path
    // A session from 200 days ago, with logging on: past the turns' and the chats' periods.
    let long = Date().addingTimeInterval(-200 * 86_400)
    let engine = try Engine(
      configuration: EngineConfiguration(
        home: PolicyChatBinary.repositoryRoot, database: .file(path), clock: ManualClock(long)))
    let session = try engine.openSession(SessionOptions(country: "ZA")).sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: session)
    _ = try engine.send("you can keep my chats", to: session)
    _ = try engine.send("my number is 082 555 1234", to: session)
    try engine.closeSession(session)

    let export = try await admin(["export", session, "--db", path])
    #expect(export.termination == .exit(0), "stderr: \(export.errorOutput)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(export.output.utf8)) as? [String: Any], "\(export.output)")
    let transcript = try #require(json["transcript"] as? [[String: Any]])
    #expect(transcript.first?["text"] as? String == "my number is [phone]")

    let preview = try await admin(["purge", "--dry-run", "--db", path])
    #expect(preview.output.hasPrefix("Would delete"), "\(preview.output)")
    #expect(preview.output.contains("transcripts: 2"), "\(preview.output)")
    let purged = try await admin(["purge", "--db", path])
    #expect(purged.output.contains("transcripts: 2"), "\(purged.output)")
    let again = try await admin(["purge", "--db", path])
    #expect(again.output.hasPrefix("Deleted 0 records"), "\(again.output)")
    #expect(!purged.errorOutput.contains("082"), "stderr: \(purged.errorOutput)")
  }

  @Test("export of a session the database never held is an error, not an empty export")
  func exportOfAnUnknownSession() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-admin-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("db.sqlite").path
    let export = try await admin(["export", "s-0123456789abcdef", "--db", path])
    #expect(export.termination == .exit(2))
    #expect(export.output.isEmpty)
    #expect(export.errorOutput.contains("no session s-0123456789abcdef in the database"), "\(export.errorOutput)")
  }

  @Test("rekey moves every contact detail to a new key; the old key is then not needed")
  func rekeyAfterANewKey() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-admin-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("db.sqlite").path
    let oldKey = folder.appendingPathComponent("old.key").path
    let newKey = folder.appendingPathComponent("new.key").path
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let newKeyFile = { (file: String) in try await PipedChat.run([], arguments: ["admin", "new-key", file]) }
    for file in [oldKey, newKey] {
      let made = try await newKeyFile(file)
      #expect(made.termination == .exit(0), "\(made.errorOutput)")
    }
    #expect(try await newKeyFile(newKey).termination == .exit(2), "never overwrites a key")
    let mode = try FileManager.default.attributesOfItem(atPath: newKey)[.posixPermissions] as? NSNumber
    #expect(mode?.intValue == 0o600)

    // A verified request leaves the requester's address, sealed under the old key.
    let keys = try DataKeys(current: try DataKeys.read(file: oldKey))
    let engine = try Engine(
      configuration: EngineConfiguration(
        home: PolicyChatBinary.repositoryRoot, database: .file(path), dataKeys: keys))
    let session = try engine.openSession(SessionOptions(country: "ZA")).sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: session)
    _ = try engine.send("send me a copy of my data", to: session)
    let sent = try engine.send("officer.test@example.org", to: session)
    let code = try #require(sent.events.first { $0.type == "verification.send" }?.data["code"])
    _ = try engine.send(code, to: session)

    let withoutOld = try await admin(["rekey", "--db", path, "--key-file", newKey])
    #expect(withoutOld.termination == .exit(2))
    #expect(withoutOld.errorOutput.contains("which was not given"), "\(withoutOld.errorOutput)")
    let rekeyed = try await admin(["rekey", "--db", path, "--key-file", newKey, "--previous-key-file", oldKey])
    #expect(rekeyed.termination == .exit(0), "\(rekeyed.errorOutput)")
    #expect(rekeyed.output.contains(": 1 contact details encrypted with it now"), "\(rekeyed.output)")
    let after = try await admin(["rekey", "--db", path, "--key-file", newKey])
    #expect(after.output.contains(": 0 contact details encrypted with it now"), "\(after.output)")
    #expect(!(rekeyed.output + rekeyed.errorOutput).contains("officer.test"))
  }
}
