import Foundation
import Testing

@testable import PolicyChat

/// Engines over the repository's own knowledge/ and intents/, with a fixed clock and seed.
enum TestEngine {
  static let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static let start = Date(timeIntervalSince1970: 1_796_000_000)

  /// `clock`: the test's own, to move time on; several engines on one database file (as
  /// several processes would be) can share it.
  static func make(
    seed: UInt64 = 42, database: DatabaseLocation = .inMemory, clock: ManualClock = ManualClock(start)
  ) throws -> Engine {
    try Engine(
      configuration: EngineConfiguration(
        home: repositoryRoot, database: database, clock: clock, random: SeededRandomSource(seed: seed)))
  }

  /// A database file in a folder of its own under the temporary directory, and the folder
  /// (for the test to remove).
  static func databaseFile(_ prefix: String) -> (DatabaseLocation, URL) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    return (.file(folder.appendingPathComponent("policychat.sqlite").path), folder)
  }

  /// The shared engine for tests that only read.
  static let shared: Engine = {
    do { return try make() } catch { fatalError("the repository's data does not load: \(error)") }
  }()

  /// A session whose person already answered the age screen as an adult (as a host's own
  /// age form would), for tests of what is understood rather than of the gate.
  static func adultSession(_ engine: Engine) throws -> String {
    let session = try engine.openSession().sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: session)
    return session
  }

  /// The error loading the repository's intents gives once `edit` has changed a copy of
  /// `intents/nlu/lexicon.yaml`; it records an issue, and returns "", when the edit changed
  /// nothing or the copy still loads.
  static func catalogError(editingLexicon edit: (String) -> String) throws -> String {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("lexicon-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: home) }
    try FileManager.default.copyItem(
      at: repositoryRoot.appendingPathComponent("intents"), to: home.appendingPathComponent("intents"))
    let lexicon = home.appendingPathComponent("intents/nlu/lexicon.yaml")
    let text = try String(contentsOf: lexicon, encoding: .utf8)
    let edited = edit(text)
    #expect(edited != text, "the edit changed nothing")
    try edited.write(to: lexicon, atomically: true, encoding: .utf8)
    do {
      _ = try IntentCatalog.load(home: home)
    } catch {
      return "\(error)"
    }
    Issue.record("the edited lexicon still loads")
    return ""
  }

  static func fixture(_ name: String) throws -> String {
    guard let url = Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil) else {
      throw CocoaError(.fileNoSuchFile)
    }
    return try String(contentsOf: url, encoding: .utf8)
  }
}
