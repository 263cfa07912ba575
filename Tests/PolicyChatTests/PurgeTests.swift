import Foundation
import PolicyChat
import Testing

/// `purge` deletes what is past its retention period, keeps consents in force, logs that it
/// ran, and deletes nothing the second time.
@Suite struct PurgeTests {
  @Test func aPurgeWithAMovedClockDeletesWhatIsOldAndASecondDeletesNothing() throws {
    let clock = ManualClock(TestEngine.start)
    let engine = try Engine(
      configuration: EngineConfiguration(
        home: TestEngine.repositoryRoot, database: .inMemory, clock: clock, random: SeededRandomSource(seed: 4)))
    let kept = try engine.openSession(SessionOptions(country: "ZA", deviceId: "laptop")).sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: kept)
    _ = try engine.send("you can keep my chats", to: kept)
    _ = try engine.send("I agree to analytics", to: kept)
    _ = try engine.send("what are cookies?", to: kept)
    _ = try engine.send("no analytics", to: kept)
    try engine.closeSession(kept)

    #expect(try engine.purge(dryRun: false).values.reduce(0, +) == 0)
    let lines = try engine.export(sessionId: kept).transcript.count
    #expect(lines == 6)

    clock.advance(by: 200 * 86_400)
    let preview = try engine.purge(dryRun: true)
    #expect(preview["sessions"] == 1)
    #expect(preview["transcripts"] == lines)
    #expect(preview["turns", default: 0] > 0)
    #expect(try engine.export(sessionId: kept).transcript.count == lines, "a dry run deletes nothing")

    let purged = try engine.purge(dryRun: false)
    #expect(purged == preview)
    // The logging consent is still in force (12 months in ZA): it stays, however old.
    // Consent records are kept five years anyway, as proof.
    #expect(purged["consents"] == 0)
    let export = try engine.export(sessionId: kept)
    #expect(export.openedAt == nil && export.turns.isEmpty && export.transcript.isEmpty)
    #expect(export.consents.count == 3)

    let again = try engine.purge(dryRun: false)
    #expect(again.values.allSatisfy { $0 == 0 }, "\(again)")

    // Past the consents' own period, the withdrawn ones go; the one in force would have
    // expired by then too.
    clock.advance(by: 5 * 366 * 86_400)
    #expect(try engine.purge(dryRun: false)["consents"] == 3)
  }
}
