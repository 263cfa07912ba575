import Foundation
import PolicyChat
import Testing

/// A returning person under a new version of the policy: told what changed; consents given
/// before a material change asked again; earlier versions available on request.
@Suite struct PolicyChangeTests {
  /// A copy of the repository's knowledge/ and intents/ at policy version 2, with version 1
  /// archived.
  private func homeAtVersion2(material: Bool, in folder: URL) throws -> URL {
    let home = folder.appendingPathComponent("home")
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    for name in ["knowledge", "intents"] {
      try FileManager.default.copyItem(
        at: TestEngine.repositoryRoot.appendingPathComponent(name), to: home.appendingPathComponent(name))
    }
    let knowledge = home.appendingPathComponent("knowledge")
    try FileManager.default.copyItem(
      at: knowledge.appendingPathComponent("sections"), to: knowledge.appendingPathComponent("archive/v1"))
    let policy = knowledge.appendingPathComponent("policy.yaml")
    try String(contentsOf: policy, encoding: .utf8).replacingOccurrences(of: #"version: "1""#, with: #"version: "2""#)
      .write(to: policy, atomically: true, encoding: .utf8)
    let disclosure = knowledge.appendingPathComponent("disclosure.yaml")
    var text = try String(contentsOf: disclosure, encoding: .utf8)
      .replacingOccurrences(of: #"policyVersion: "1""#, with: #"policyVersion: "2""#)
      .replacingOccurrences(of: "    material: false\n", with: "    material: false\n    archive: archive/v1\n")
    text += """
        - version: "2"
          date: "2027-03-01"
          summary: "Chats are now kept for 90 days instead of 180."
          material: \(material)

      """
    try text.write(to: disclosure, atomically: true, encoding: .utf8)
    return home
  }

  private func engine(home: URL, database: String, at date: Date, seed: UInt64) throws -> Engine {
    try Engine(
      configuration: EngineConfiguration(
        home: home, database: .file(database), clock: ManualClock(date), random: SeededRandomSource(seed: seed)))
  }

  @Test(arguments: [true, false])
  func aReturningPersonIsToldWhatChanged(material: Bool) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-v2-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let database = folder.appendingPathComponent("db.sqlite").path
    let before = try engine(home: TestEngine.repositoryRoot, database: database, at: TestEngine.start, seed: 31)
    let first = try before.openSession(SessionOptions(country: "ZA", deviceId: "laptop")).sessionId
    _ = try before.perform(.declareAge("1990-05-01"), in: first)
    _ = try before.send("you can keep my chats", to: first)
    try before.closeSession(first)

    let later = TestEngine.start.addingTimeInterval(30 * 86_400)
    let after = try engine(
      home: try homeAtVersion2(material: material, in: folder), database: database, at: later, seed: 32)
    let opening = try after.openSession(SessionOptions(country: "ZA", deviceId: "laptop"))
    #expect(opening.text.contains("The privacy policy has changed since you last agreed to something here"))
    #expect(opening.text.contains("Chats are now kept for 90 days"))
    #expect(opening.text.contains("off until you agree again") == material)
    #expect(opening.state.logging == !material)
    #expect(opening.state.consents?["session_logging"] == (material ? "expired" : "given"))
    let consents = try after.export(sessionId: opening.sessionId).consents
    #expect(consents.last?.policyVersion == "2")
    #expect(consents.last?.method == (material ? "policy_change" : "policy_update"))

    // Told once: the next session of the device hears nothing more.
    let next = try after.openSession(SessionOptions(country: "ZA", deviceId: "laptop"))
    #expect(!next.text.contains("has changed"))

    let archived = try after.send("show me version 1 of the privacy policy", to: next.sessionId)
    #expect(archived.intent == "policy_history")
    let text = try #require(archived.events.first { $0.type == "policy.archive" }?.data["text"])
    #expect(text.contains("Rousora"))
  }

  @Test func aDisclosureOfAnotherVersionStopsStartUp() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-v2-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let home = try homeAtVersion2(material: false, in: folder)
    let disclosure = home.appendingPathComponent("knowledge/disclosure.yaml")
    try String(contentsOf: disclosure, encoding: .utf8)
      .replacingOccurrences(of: #"policyVersion: "2""#, with: #"policyVersion: "1""#)
      .write(to: disclosure, atomically: true, encoding: .utf8)
    #expect(throws: EngineError.self) { try PolicyData.load(home: home) }
  }

  @Test func aRevisionInProcessSharesTheDatabaseAndArchivesTheTextBefore() throws {
    let store = try SQLiteSessionStore(location: .inMemory)
    let clock = ManualClock(TestEngine.start)
    let configuration = EngineConfiguration(
      home: TestEngine.repositoryRoot, database: .inMemory, clock: clock, random: SeededRandomSource(seed: 41))
    let policy = try PolicyData.load(home: TestEngine.repositoryRoot)
    let before = Engine(policy: policy, configuration: configuration, store: store)
    let first = try before.openSession(SessionOptions(country: "ZA", deviceId: "laptop")).sessionId
    _ = try before.perform(.declareAge("1990-05-01"), in: first)
    _ = try before.send("I agree to analytics", to: first)

    let revised = try policy.revised(
      version: "2", date: "2027-01-15", summary: "Analytics is now kept 30 days.", material: true)
    #expect(revised.knowledge.policy.version == "2")
    var later = configuration
    later.random = SeededRandomSource(seed: 42)
    let after = Engine(policy: revised, configuration: later, store: store)
    let opening = try after.openSession(SessionOptions(country: "ZA", deviceId: "laptop"))
    #expect(opening.text.contains("version 1 → 2") && opening.state.consents?["analytics"] == "expired")
    let archived = try after.send("show me version 1 of the privacy policy", to: opening.sessionId)
    #expect(archived.events.first { $0.type == "policy.archive" }?.data["text"]?.contains("Rousora") == true)
  }
}
