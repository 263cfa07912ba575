import Foundation
import PolicyChat
import Testing

/// What a person's front end may look up, with the rule in the engine rather than in
/// each front end: their own session's export, and a version of the policy.
@Suite("Lookups for the person")
struct PersonLookupTests {
  @Test("A session's own export is given only while the session is open")
  func exportOnlyWhileOpen() throws {
    let engine = try TestEngine.make()
    let id = try engine.openSession().sessionId
    _ = try engine.send("do you sell my data?", to: id)
    #expect(try engine.exportOpenSession(id).turns.count == 2)
    try engine.closeSession(id)
    #expect(throws: EngineError.unknownSession) { try engine.exportOpenSession(id) }
    // The officer still exports it.
    #expect(try engine.export(sessionId: id).turns.count == 2)
  }

  @Test("A version of the policy is found by its name, and an unknown one names the field")
  func archivedPolicyByVersion() throws {
    let engine = TestEngine.shared
    let current = try engine.archivedPolicy(engine.knowledge.policy.version)
    #expect(current.current && current.version.version == engine.knowledge.policy.version)
    #expect(throws: EngineError.invalidInput(field: "version", reason: "one of the policy's versions")) {
      try engine.archivedPolicy("99")
    }
  }
}
