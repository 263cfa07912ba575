import Foundation
import PolicyChat
import Testing

/// Consent per purpose: prior, granular, provable, expiring, as easy to withdraw as to
/// give; and chat text kept only while `session_logging` is in force.
@Suite struct ConsentTests {
  private let clock = ManualClock(TestEngine.start)

  private func engine(_ database: DatabaseLocation = .inMemory) throws -> Engine {
    try Engine(
      configuration: EngineConfiguration(
        home: TestEngine.repositoryRoot, database: database, clock: clock, random: SeededRandomSource(seed: 9)))
  }

  private func adult(_ engine: Engine, country: String? = "ZA", device: String? = nil, signals: BrowserSignals? = nil)
    throws -> String
  {
    let id = try engine.openSession(SessionOptions(country: country, deviceId: device, signals: signals)).sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: id)
    return id
  }

  @Test func nothingIsOnUntilThePersonTurnsItOn() throws {
    let engine = try engine()
    let opening = try engine.openSession(SessionOptions(country: "DE"))
    #expect(opening.state.consents == nil && opening.state.logging == nil)
    let status = try engine.send("show my consents", to: opening.sessionId)
    #expect(status.intent == "consent.status")
    #expect(!status.text.contains(": on until"))
    #expect(status.text.contains("Essential: always on, no consent needed"))
  }

  @Test func turningSomethingOnRunsTheAgeScreenFirst() throws {
    let engine = try engine()
    let id = try engine.openSession(SessionOptions(country: "DE")).sessionId
    #expect(try engine.send("you can keep my chats", to: id).intent == "age.ask_birth")
    let given = try engine.send("14 March 1990", to: id)
    #expect(given.intent == "consent.given")
    #expect(given.state.logging == true)
    #expect(given.state.consents == ["session_logging": "given"])
  }

  @Test(
    arguments: [("DE", "2027-05-"), ("FR", "2027-05-"), ("ZA", "2027-11-"), (nil, "2027-11-")] as [(String?, String)])
  func aConsentLastsAsLongAsItsCountryAllows(country: String?, until: String) throws {
    let engine = try engine()
    let id = try adult(engine, country: country)
    let given = try engine.send("I agree to analytics", to: id)
    #expect(given.text.contains("until \(until)"), "\(given.text)")
    let record = try #require(try engine.export(sessionId: id).consents.last)
    #expect(record.purpose == "analytics" && record.granted && record.method == "chat")
    #expect(record.policyVersion == "1" && record.jurisdiction == (country ?? "unknown"))
  }

  @Test func chatTextIsKeptOnlyWhileLoggingIsOnAndRedacted() throws {
    let engine = try engine()
    let id = try adult(engine)
    _ = try engine.send("my id number is 8001015009087, do you sell data?", to: id)
    _ = try engine.send("you can keep my chats", to: id)
    _ = try engine.send("my phone is 082 555 1234, how long do you keep it?", to: id)
    let off = try engine.send("stop logging my chats", to: id)
    #expect(off.state.logging == false)
    #expect(off.text.contains("Shall I delete them"))
    _ = try engine.send("thandi@example.org is my address", to: id)

    let kept = try engine.export(sessionId: id).transcript
    #expect(kept.map(\.speaker) == ["person", "assistant"])
    #expect(kept.first?.text == "my phone is [phone], how long do you keep it?")
    let all = kept.map(\.text).joined(separator: "\n")
    for secret in ["8001015009087", "082 555 1234", "thandi@example.org", "keep my chats", "stop logging"] {
      #expect(!all.contains(secret), "kept: \(secret)")
    }
  }

  @Test func withdrawingOffersToDeleteWhatWasKept() throws {
    let engine = try engine()
    let id = try adult(engine)
    _ = try engine.send("you can keep my chats", to: id)
    _ = try engine.send("what are cookies?", to: id)
    _ = try engine.send("stop logging my chats", to: id)
    let deleted = try engine.send("yes", to: id)
    #expect(deleted.intent == "consent.transcript_deleted")
    #expect(deleted.events.contains { $0.type == "transcript.deleted" && $0.data["lines"] == "2" })
    #expect(try engine.export(sessionId: id).transcript.isEmpty)
  }

  @Test func anExpiredConsentIsTreatedAsAbsentAndAskedAgain() throws {
    let engine = try engine()
    let id = try adult(engine, country: "DE")
    _ = try engine.send("you can keep my chats", to: id)
    _ = try engine.send("what are cookies?", to: id)
    clock.advance(by: 184 * 86_400)
    let after = try engine.send("what are my rights?", to: id)
    #expect(after.state.logging == false)
    #expect(after.state.consents?["session_logging"] == "expired")
    #expect(after.replies.first?.text.contains("ran out") == true)
    #expect(after.replies.first?.text.contains("you can keep my chats") == true)
    #expect(try engine.export(sessionId: id).transcript.count == 2)
    #expect(try engine.export(sessionId: id).consents.last?.method == "expiry")
  }

  @Test func doNotTrackAndGlobalPrivacyControlRefuseAnalyticsAndMarketing() throws {
    let engine = try engine()
    let opening = try engine.openSession(SessionOptions(country: "DE", signals: BrowserSignals(gpc: true)))
    #expect(opening.state.consents == ["analytics": "refused_by_signal", "marketing": "refused_by_signal"])
    _ = try engine.perform(.declareAge("1990-05-01"), in: opening.sessionId)
    let refused = try engine.send("sign me up for marketing", to: opening.sessionId)
    #expect(refused.decision?.kind == "consent.refused_by_signal")
    #expect(refused.text.contains("Global Privacy Control"))
    #expect(try engine.send("you can keep my chats", to: opening.sessionId).state.logging == true)
    let recorded = try engine.export(sessionId: opening.sessionId).consents.filter { $0.method == "signal:gpc" }
    #expect(Set(recorded.map(\.purpose)) == ["analytics", "marketing"])
  }

  @Test func aChildCannotTurnOnLoggingOrMarketing() throws {
    let engine = try engine()
    let id = try engine.openSession(SessionOptions(country: "ZA")).sessionId
    _ = try engine.send("you can keep my chats", to: id)
    let child = try engine.send("I'm 14", to: id)
    #expect(child.state.childPrivacy == true)
    #expect(child.text.contains("Children's conversations stay private"))
    let again = try engine.send("sign me up for marketing", to: id)
    #expect(again.decision?.kind == "consent.child_refused")
    _ = try engine.send("what are cookies?", to: id)
    #expect(try engine.export(sessionId: id).transcript.isEmpty)
  }

  @Test func aConsentFollowsTheDeviceToTheNextSession() throws {
    let engine = try engine()
    let first = try adult(engine, device: "laptop-1")
    _ = try engine.send("you can keep my chats", to: first)
    try engine.closeSession(first)
    let next = try engine.openSession(SessionOptions(country: "ZA", deviceId: "laptop-1"))
    #expect(next.state.logging == true)
    let other = try engine.openSession(SessionOptions(country: "ZA", deviceId: "laptop-2"))
    #expect(other.state.logging == nil)
  }

  @Test func givingAndWithdrawingAreEquallyShortInChatCommandAndProtocol() throws {
    let engine = try engine()
    let id = try adult(engine)
    #expect(try engine.send("/consent on analytics", to: id).state.consents?["analytics"] == "given")
    #expect(try engine.send("/consent off analytics", to: id).state.consents?["analytics"] == "refused")
    #expect(try engine.perform(.setConsent(purpose: "marketing", granted: true), in: id).intent == "consent.given")
    #expect(try engine.perform(.setConsent(purpose: "marketing", granted: false), in: id).intent == "consent.withdrawn")
    #expect(throws: EngineError.self) { try engine.perform(.setConsent(purpose: "essential", granted: false), in: id) }
    let methods = try engine.export(sessionId: id).consents.map(\.method)
    #expect(methods == ["command", "command", "protocol", "protocol"])
  }

  @Test func aReceiptHasTheKantaraShape() throws {
    let engine = try engine()
    let id = try adult(engine, country: "DE")
    #expect(try engine.consentReceipt(of: id) == nil)
    _ = try engine.send("you can keep my chats", to: id)
    let receipt = try #require(try engine.consentReceipt(of: id))
    #expect(receipt.version == "KI-CR-v1.1.0")
    #expect(receipt.jurisdiction == "DE")
    #expect(receipt.consentTimestamp == Int(TestEngine.start.timeIntervalSince1970))
    #expect(
      receipt.consentReceiptID.range(
        of: #"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"#, options: .regularExpression)
        != nil)
    #expect(receipt.piiControllers.first?.piiController == "Rousora")
    #expect(receipt.piiControllers.first?.email == "support@rousora.com")
    #expect(receipt.services.first?.purposes.map(\.purposeCategory) == [["session_logging"]])
    #expect(receipt.services.first?.purposes.first?.consentType == "EXPLICIT")
    #expect(receipt.sensitive == false && receipt.spiCat.isEmpty)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(receipt.json.utf8)) as? [String: Any])
    for field in [
      "version", "jurisdiction", "consentTimestamp", "collectionMethod", "consentReceiptID", "language",
      "piiPrincipalId", "piiControllers", "policyUrl", "services", "sensitive", "spiCat",
    ] {
      #expect(json[field] != nil, "missing \(field)")
    }
    let inChat = try engine.send("can I have a consent receipt?", to: id)
    #expect(inChat.intent == "consent.receipt")
    #expect(inChat.events.first?.type == "consent.receipt")
  }

  @Test(arguments: ["don't delete them", "no, do not delete", "keep them", "no"])
  func aNoToTheDeletionOfferKeepsTheChats(answer: String) throws {
    let engine = try engine()
    let id = try adult(engine)
    _ = try engine.send("you can keep my chats", to: id)
    _ = try engine.send("what are cookies?", to: id)
    _ = try engine.send("stop logging my chats", to: id)
    #expect(try engine.send(answer, to: id).intent == "consent.transcript_kept")
    #expect(try engine.export(sessionId: id).transcript.count == 2)
  }

  @Test(arguments: ["I agree to analytics but not marketing", "sign me up for marketing, not analytics please"])
  func aMixedAnswerIsAskedAgainOneAtATime(message: String) throws {
    let engine = try engine()
    let id = try adult(engine)
    let turn = try engine.send(message, to: id)
    #expect(turn.intent == "consent.one_at_a_time")
    #expect(turn.state.consents == nil)
  }

  @Test func aWithdrawalHoldsInEveryOpenSessionOfTheDevice() throws {
    let engine = try engine()
    let first = try adult(engine, device: "tab-1")
    _ = try engine.send("you can keep my chats", to: first)
    let second = try engine.openSession(SessionOptions(country: "ZA", deviceId: "tab-1")).sessionId
    _ = try engine.send("stop logging my chats", to: second)
    let after = try engine.send("what are cookies?", to: first)
    #expect(after.state.logging == false)
    #expect(try engine.export(sessionId: first).transcript.isEmpty)
  }

  @Test func aChildOnADeviceWithAnAdultsConsentStopsTheLoggingAndItsLinesGo() throws {
    let engine = try engine()
    let parent = try adult(engine, device: "family-pc")
    _ = try engine.send("you can keep my chats", to: parent)
    try engine.closeSession(parent)
    let next = try engine.openSession(SessionOptions(country: "ZA", deviceId: "family-pc"))
    #expect(next.state.ageGate == "adult" && next.state.logging == true)
    #expect(try engine.send("you can keep my chats", to: next.sessionId).intent == "consent.already_on")
    _ = try engine.send("what are cookies?", to: next.sessionId)
    let child = try engine.send("actually I'm 12", to: next.sessionId)
    #expect(child.state.childPrivacy == true && child.state.logging == false)
    #expect(try engine.export(sessionId: next.sessionId).transcript.isEmpty)
  }

  @Test func aSignalRefusesWithoutAskingForAnAge() throws {
    let engine = try engine()
    let id = try engine.openSession(SessionOptions(country: "DE", signals: BrowserSignals(dnt: true))).sessionId
    let refused = try engine.send("I agree to analytics", to: id)
    #expect(refused.intent == "consent.signal_refused")
    #expect(refused.state.ageGate == nil)
  }
}
