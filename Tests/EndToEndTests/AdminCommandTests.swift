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
}
