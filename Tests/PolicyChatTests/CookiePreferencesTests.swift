import Foundation
import PolicyChat
import Testing

/// "manage my cookies": rejecting all is as short as accepting all, refusing needs no age,
/// and what is chosen is stored as ordinary consent records.
@Suite struct CookiePreferencesTests {
  static let cookiePurposes: Set = ["analytics", "marketing", "personalisation"]

  @Test func rejectingAllRecordsARefusalForEachCookiePurposeWithoutTheAgeScreen() throws {
    let engine = try TestEngine.make()
    let session = try engine.openSession(SessionOptions(country: "DE")).sessionId
    #expect(try engine.send("manage my cookies", to: session).intent == "consent.cookies")
    let turn = try engine.send("reject all", to: session)
    #expect(turn.state.ageGate == nil)
    let consents = try engine.export(sessionId: session).consents
    #expect(Set(consents.map(\.purpose)) == Self.cookiePurposes)
    #expect(consents.allSatisfy { !$0.granted })
  }

  @Test func acceptingAllRunsTheAgeScreenAndThenTurnsEachOn() throws {
    let engine = try TestEngine.make()
    let session = try engine.openSession(SessionOptions(country: "DE")).sessionId
    _ = try engine.send("cookie preferences", to: session)
    #expect(try engine.send("accept all", to: session).intent == "age.ask_birth")
    // Nothing is stored before the screen has let the person through.
    #expect(try engine.export(sessionId: session).consents.isEmpty)
    let turn = try engine.send("1990-05-01", to: session)
    for purpose in Self.cookiePurposes { #expect(turn.state.consents?[purpose] == "given") }
    #expect(turn.state.consents?["session_logging"] == nil)
  }

  @Test func aChildsChoicesStayOff() throws {
    let engine = try TestEngine.make()
    let session = try engine.openSession(SessionOptions(country: "DE")).sessionId
    _ = try engine.perform(.declareAge("2014-01-01"), in: session)
    _ = try engine.send("manage my cookies", to: session)
    let turn = try engine.send("accept all", to: session)
    #expect(turn.decision?.kind == "consent.child_refused")
    #expect(turn.state.consents?.values.contains("given") != true)
  }

  @Test func cancellingChangesNothing() throws {
    let engine = try TestEngine.make()
    let session = try engine.openSession(SessionOptions(country: "DE")).sessionId
    _ = try engine.send("manage my cookies", to: session)
    _ = try engine.send("choose", to: session)
    #expect(try engine.send("cancel", to: session).intent == "consent.cancelled")
    #expect(try engine.export(sessionId: session).consents.isEmpty)
  }
}
