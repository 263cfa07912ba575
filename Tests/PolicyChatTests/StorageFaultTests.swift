import Foundation
import GRDB
import Synchronization
import Testing

@testable import PolicyChat

/// A database that turns read-only or fills up while the engine runs (issue 10): questions
/// are still answered, while what must not be lost fails with `.storage` and changes nothing.
///
/// The faults are SQLite's own, made on the store's one writer connection: `PRAGMA
/// query_only` makes every write fail with SQLITE_READONLY (8), as a file that cannot be
/// written does, and `PRAGMA max_page_count` at the file's current size makes every write
/// that needs a new page fail with SQLITE_FULL (13), as a full disk does.
@Suite struct StorageFaultTests {
  private let folder: URL
  private let store: SQLiteSessionStore
  private let engine: Engine
  private let warnings = Warnings()

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("storage-fault-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    store = try SQLiteSessionStore(location: .file(folder.appendingPathComponent("policychat.sqlite").path))
    let warnings = warnings
    engine = try Engine(
      configuration: EngineConfiguration(
        home: TestEngine.repositoryRoot, clock: ManualClock(TestEngine.start), random: SeededRandomSource(seed: 5),
        storageWarning: { warnings.add($0) }),
      store: store)
  }

  private static let question = "How long do you keep my data?"

  // MARK: Read-only

  @Test func onAReadOnlyDatabaseQuestionsAreAnsweredAndTheOperatorWarnedOnce() throws {
    let adult = try TestEngine.adultSession(engine)
    try makeReadOnly()
    for _ in 1...3 {
      let turn = try engine.send(Self.question, to: adult)
      #expect(turn.intent.hasPrefix("policy."), "\(turn.intent)")
      #expect(turn.events.contains(Engine.notKept))
    }
    let opening = try engine.openSession(SessionOptions(deviceId: "a-device", signals: BrowserSignals(gpc: true)))
    #expect(opening.intent == "opening" && opening.events.contains(Engine.notKept))
    _ = try engine.send(Self.question, to: opening.sessionId)
    try engine.closeSession(opening.sessionId)

    #expect(warnings.all.count == 1, "\(warnings.all)")
    let warning = try #require(warnings.all.first)
    #expect(warning.contains("SQLite error 8") && warning.contains("was not kept"))
    #expect(!warning.contains(Self.question) && !warning.contains("a-device"))
  }

  @Test func onAReadOnlyDatabaseWhatMustNotBeLostFailsAndChangesNothing() throws {
    let adult = try TestEngine.adultSession(engine)
    _ = try engine.perform(.setConsent(purpose: "analytics", granted: true), in: adult)
    let child = try engine.openSession().sessionId
    _ = try engine.perform(.setCountry("DE"), in: child)
    _ = try engine.perform(.declareAge("14"), in: child)
    let consents = try consentsInForce(adult)
    try makeReadOnly()

    let steps: [(String, GateAction)] = [
      (adult, .setConsent(purpose: "marketing", granted: true)),
      (adult, .setConsent(purpose: "analytics", granted: false)),
      (child, .requestParentalConsent(contact: "parent@example.org")),
    ]
    for (session, action) in steps {
      do throws(EngineError) {
        _ = try engine.perform(action, in: session)
        Issue.record("\(action) was carried out on a read-only database")
      } catch .storage(let reason) {
        #expect(reason.contains("SQLite error 8"), "\(reason)")
        #expect(!reason.contains("parent@example.org"))
      } catch {
        Issue.record("\(action): \(error)")
      }
    }
    // A rights request fails at its first write, the code's record: no code goes out.
    _ = try engine.perform(.startRequest(type: "access"), in: adult)
    #expect(throws: EngineError.self) {
      try engine.perform(.requestAnswer(field: "email", value: "thandi@example.org"), in: adult)
    }
    // Nothing changed: the consents in force are as before, and the session goes on.
    #expect(try consentsInForce(adult) == consents)
    #expect(try engine.send(Self.question, to: adult).intent.hasPrefix("policy."))
    #expect(try engine.send("hi", to: child).state.parentalConsent == nil)
  }

  // MARK: Full

  @Test func onAFullDiskQuestionsAreAnsweredAndTheOperatorWarnedOnce() throws {
    let adult = try TestEngine.adultSession(engine)
    let stored = try store.turns(sessionId: adult).count
    try makeFull()
    // The turn table's last page takes a few more rows; then each needs a page of its own.
    var notKept = 0
    for _ in 1...200 {
      let turn = try engine.send(Self.question, to: adult)
      #expect(turn.intent.hasPrefix("policy."), "\(turn.intent)")
      if turn.events.contains(Engine.notKept) {
        notKept += 1
      } else {
        #expect(notKept == 0, "a turn was kept after the disk was full")
      }
    }
    #expect(notKept > 0)
    #expect(warnings.all.count == 1, "\(warnings.all)")
    #expect(warnings.all.first?.contains("SQLite error 13") == true, "\(warnings.all)")
    #expect(try store.turns(sessionId: adult).count == stored + 200 - notKept)
  }

  @Test func onAFullDiskAConsentThatCannotBeWrittenFailsAndChangesNothing() throws {
    let adult = try TestEngine.adultSession(engine)
    try makeFull()
    // Changes go in while their table's last page has room; the first that does not fails.
    var granted = false
    for _ in 1...500 {
      let before = try store.count(ConsentRecord.self, matching: .all.equal(.subject, "session:" + adult))
      let consents = try consentsInForce(adult)
      do throws(EngineError) {
        _ = try engine.perform(.setConsent(purpose: "marketing", granted: !granted), in: adult)
        granted.toggle()
      } catch {
        guard case .storage(let reason) = error else { throw error }
        #expect(reason.contains("SQLite error 13"), "\(reason)")
        #expect(try store.count(ConsentRecord.self, matching: .all.equal(.subject, "session:" + adult)) == before)
        #expect(try consentsInForce(adult) == consents)
        #expect(try engine.send(Self.question, to: adult).intent.hasPrefix("policy."))
        return
      }
    }
    Issue.record("500 consent changes fitted in a full database")
  }

  /// Each purpose's state in the session, as its turns show it.
  private func consentsInForce(_ session: String) throws -> [String: String]? {
    try engine.perform(.consentStatus, in: session).state.consents
  }

  // MARK: Faults

  private func makeReadOnly() throws {
    try store.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = ON") }
  }

  private func makeFull() throws {
    try store.writer.writeWithoutTransaction { db in
      let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
      try db.execute(sql: "PRAGMA max_page_count = \(pages)")
    }
  }
}

/// The storage warnings an engine gave its host.
private final class Warnings: Sendable {
  private let lines = Mutex<[String]>([])

  func add(_ line: String) { lines.withLock { $0.append(line) } }
  var all: [String] { lines.withLock { $0 } }
}
