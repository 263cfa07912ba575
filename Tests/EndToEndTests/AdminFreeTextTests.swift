import Foundation
import PolicyChat
import Testing

/// `policychat admin requests extend` and `reject` with reasons holding personal data: the
/// officer is told what was replaced, and neither value reaches any file of the database.
@Suite("Officer's free text")
struct AdminFreeTextTests {
  static let phone = "082 555 1234"
  static let email = "sipho.k@example.org"

  private func admin(_ arguments: [String]) async throws -> PipedTranscript {
    try await PipedChat.run([], arguments: ["admin"] + arguments + ["--home", PolicyChatBinary.repositoryRoot.path])
  }

  /// A database file holding one open complaint; returns its reference.
  private func complaint(at path: String) throws -> String {
    let engine = try Engine(
      configuration: EngineConfiguration(home: PolicyChatBinary.repositoryRoot, database: .file(path)))
    defer { try? engine.close() }
    let session = try engine.openSession(SessionOptions(country: "ZA")).sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: session)
    _ = try engine.send("I want to complain about my data being misused", to: session)
    let sent = try engine.send("thandi@example.org", to: session)
    let code = try #require(sent.events.first { $0.type == "verification.send" }?.data["code"])
    _ = try engine.send(code, to: session)
    let text = try engine.send("you shared my data", to: session).text
    let range = try #require(text.range(of: #"RQ-[A-Z0-9]{6}"#, options: .regularExpression))
    return String(text[range])
  }

  /// The names of the files in `folder` whose raw bytes hold `text`.
  private func filesHolding(_ text: String, in folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().filter { name in
      try Data(contentsOf: folder.appendingPathComponent(name)).range(of: Data(text.utf8)) != nil
    }
  }

  @Test("extend redacts its reason, says so without the values, and stores neither value")
  func extendRedactsTheReason() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "policychat-officer-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("db.sqlite").path
    let reference = try complaint(at: path)

    let reason = "we are waiting for the call logs of \(Self.phone) from \(Self.email)"
    let extended = try await admin([
      "requests", "extend", reference, "--reason", reason, "--officer", "nomsa", "--db", path,
    ])
    #expect(extended.termination == .exit(0), "stderr: \(extended.errorOutput)")
    #expect(extended.output.hasPrefix("Extended \(reference) to "), "\(extended.output)")
    #expect(
      extended.output.contains(
        "Note: the reason held a phone number and an e-mail address; they were replaced by [phone] and [email] "
          + "before it was stored."), "\(extended.output)")

    let show = try await admin(["requests", "show", reference, "--db", path])
    #expect(
      show.output.contains("extension: we are waiting for the call logs of [phone] from [email]"), "\(show.output)")
    for value in [Self.phone, Self.email] {
      #expect(!extended.output.contains(value) && !extended.errorOutput.contains(value))
      #expect(!show.output.contains(value), "\(show.output)")
      #expect(try filesHolding(value, in: folder) == [], "\(value) is on disk")
    }
  }

  @Test("reject with a reason that is only personal data is refused with exit 2, and nothing is stored")
  func rejectRefusesAReasonOfOnlyPersonalData() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "policychat-officer-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("db.sqlite").path
    let reference = try complaint(at: path)

    let rejected = try await admin(["requests", "reject", reference, "--reason", "call \(Self.phone)", "--db", path])
    #expect(rejected.termination == .exit(2))
    #expect(rejected.errorOutput.contains("without personal data"), "stderr: \(rejected.errorOutput)")
    #expect(!rejected.errorOutput.contains(Self.phone))
    let show = try await admin(["requests", "show", reference, "--db", path])
    #expect(show.output.contains("  open  "), "\(show.output)")
    #expect(try filesHolding(Self.phone, in: folder) == [])
  }
}
