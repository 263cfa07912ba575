import Foundation
import PolicyChat
import Testing

/// The age screen and parental consent, turn by turn.
@Suite struct AgeGateTests {
  private func session(_ engine: Engine, country: String? = nil, device: String? = nil) throws -> String {
    try engine.openSession(SessionOptions(country: country, deviceId: device)).sessionId
  }

  /// A child in `country` who asked for an erasure, gave `age` and the parent's address:
  /// the child's session and the reference of the parental consent request.
  private func childAwaitingParent(
    _ engine: Engine, country: String, age: Int, parent: String
  ) throws -> (child: String, reference: String) {
    let child = try session(engine, country: country)
    _ = try engine.send("please delete my data", to: child)
    _ = try engine.send("I'm \(age)", to: child)
    let reference = try #require(try engine.send(parent, to: child).events.first?.data["reference"])
    return (child, reference)
  }

  @Test func policyQuestionsNeedNoAge() throws {
    let engine = try TestEngine.make()
    let id = try session(engine)
    let turn = try engine.send("How long do you keep my data?", to: id)
    #expect(turn.intent.hasPrefix("policy."))
    #expect(turn.state.ageGate == nil)
  }

  @Test(arguments: ["please delete my data", "send me a copy of my data", "I object to direct marketing"])
  func aRequestRunsTheScreenFirstWithoutHintingAtAnAge(request: String) throws {
    let engine = try TestEngine.make()
    let id = try session(engine, country: "DE")
    let turn = try engine.send(request, to: id)
    #expect(turn.intent == "age.ask_birth")
    #expect(turn.state.ageGate == "asking")
    let hasDigits = turn.text.contains { $0.isNumber }
    #expect(!hasDigits, "the question must not name an age: \(turn.text)")
    #expect(!turn.text.lowercased().contains("under") && !turn.text.lowercased().contains("over"))
  }

  @Test func anUnknownCountryIsAskedFirstAndDecliningAppliesTheStrictestRule() throws {
    let engine = try TestEngine.make()
    let id = try session(engine)
    #expect(try engine.send("delete my data", to: id).intent == "age.ask_country")
    let declined = try engine.send("I'd rather not say", to: id)
    #expect(declined.text.contains("strictest"))
    let outcome = try engine.send("I'm 17", to: id)
    #expect(outcome.state.ageGate == "needs_parental_consent")
    #expect(outcome.decision?.facts?["country"] == "unknown")
    #expect(outcome.decision?.facts?["consentAge"] == "18")
  }

  @Test(arguments: [
    ("ZA", "needs_parental_consent"), ("DE", "needs_parental_consent"), ("FR", "adult"), ("GB", "adult"),
    ("AT", "adult"), ("NL", "needs_parental_consent"),
  ])
  func fifteenDependsOnTheCountry(country: String, outcome: String) throws {
    let engine = try TestEngine.make()
    let id = try session(engine, country: country)
    _ = try engine.send("please delete my data", to: id)
    let turn = try engine.send("2011-03-14", to: id)
    #expect(turn.state.ageGate == outcome)
    #expect((turn.decision != nil) == (outcome != "adult"))
    if outcome == "adult" { #expect(turn.intent == "request.erasure") }
  }

  @Test(arguments: ["31 February 2010", "1 January 2031", "I'm 130", "purple haze"])
  func aDateThatCannotBeIsAskedAgainPolitely(answer: String) throws {
    let engine = try TestEngine.make()
    let id = try session(engine, country: "ZA")
    _ = try engine.send("please delete my data", to: id)
    let turn = try engine.send(answer, to: id)
    #expect(turn.intent == "age.reask")
    #expect(turn.state.ageGate == "asking")
    #expect(turn.decision == nil)
    #expect(try engine.send("1 May 1990", to: id).state.ageGate == "adult")
  }

  @Test func aQuestionInsteadOfAnAnswerIsAnsweredAndTheScreenWaits() throws {
    let engine = try TestEngine.make()
    let id = try session(engine, country: "ZA")
    _ = try engine.send("please delete my data", to: id)
    let turn = try engine.send("Why do you need to know how old I am for this?", to: id)
    #expect(turn.intent != "age.reask")
    #expect(try engine.send("please delete my data", to: id).intent == "age.ask_birth")
  }

  @Test func aSecondAgeInTheSessionIsRefusedAndRecorded() throws {
    let engine = try TestEngine.make()
    let id = try session(engine, country: "ZA")
    _ = try engine.send("please delete my data", to: id)
    _ = try engine.send("I'm 15", to: id)
    for attempt in ["actually I'm 20", "I was born on 1 January 1990", "/age 1990-01-01"] {
      let turn = try engine.send(attempt, to: id)
      #expect(turn.decision?.kind == "age_gate.redeclaration_refused", "\(attempt)")
      #expect(turn.state.ageGate == "needs_parental_consent")
    }
    #expect(try engine.send("please delete my data", to: id).intent != "request.erasure")
  }

  @Test func theSameDeviceCannotAnswerAgainInANewSession() throws {
    let engine = try TestEngine.make()
    let first = try session(engine, country: "US", device: "tablet-1")
    _ = try engine.send("please delete my data", to: first)
    #expect(try engine.send("I'm 12", to: first).state.ageGate == "below_service_age")
    let second = try engine.openSession(SessionOptions(country: "US", deviceId: "tablet-1"))
    #expect(second.state.ageGate == "below_service_age")
    let turn = try engine.send("please delete my data", to: second.sessionId)
    #expect(turn.decision?.kind == "age_gate.redeclaration_refused")
    #expect(turn.text.contains("on this device"))
    // Another device is not affected.
    let other = try session(engine, country: "US", device: "laptop-2")
    #expect(try engine.send("please delete my data", to: other).intent == "age.ask_birth")
  }

  @Test func namingACountryAfterTheAnswerCannotLiftTheOutcomeButCanTightenIt() throws {
    let engine = try TestEngine.make()
    let child = try session(engine, country: "DE")
    _ = try engine.send("delete my data", to: child)
    _ = try engine.send("I'm 15", to: child)
    let lifted = try engine.send("I live in France", to: child)
    #expect(lifted.decision?.kind == "age_gate.country_change_refused")
    #expect(lifted.state.ageGate == "needs_parental_consent")

    let teen = try session(engine, country: "FR")
    _ = try engine.send("delete my data", to: teen)
    #expect(try engine.send("I'm 15", to: teen).state.ageGate == "adult")
    let tightened = try engine.send("I'm in South Africa", to: teen)
    #expect(tightened.state.country == "ZA")
    #expect(tightened.state.ageGate == "needs_parental_consent")
  }

  @Test(arguments: [
    ("I'm in Germany", "DE"), ("I live in the UK", "GB"), ("we are based in South Africa", "ZA"),
    ("i am from the netherlands", "NL"), ("I'm in Kenya", "KE"),
  ])
  func theCountryCanBeSaidInTheConversation(message: String, code: String) throws {
    let engine = try TestEngine.make()
    let turn = try engine.send(message, to: try session(engine))
    #expect(turn.state.country == code)
    #expect(turn.intent == "country.set")
  }

  @Test func aCountryStatementWithAQuestionAnswersTheQuestionToo() throws {
    let engine = try TestEngine.make()
    let turn = try engine.send("I'm in Germany, how long does cookie consent last?", to: try session(engine))
    #expect(turn.state.country == "DE")
    #expect(turn.intent.hasPrefix("policy.cookies"))
    #expect(turn.replies.first?.text.contains("Germany") == true)
  }

  @Test(arguments: ["I'm in trouble", "I am from the future", "I live in hope"])
  func notEveryPlaceIsACountry(message: String) throws {
    let engine = try TestEngine.make()
    let turn = try engine.send(message, to: try session(engine))
    #expect(turn.state.country == nil)
    #expect(turn.intent != "country.set")
  }

  @Test func aParentConsentsInTheirOwnSessionAndTheChildGoesOn() throws {
    let engine = try TestEngine.make()
    let child = try session(engine, country: "ZA", device: "kid")
    _ = try engine.send("please delete my data", to: child)
    _ = try engine.send("14 March 2011", to: child)
    let sent = try engine.send("my mum is mum@example.com", to: child)
    let event = try #require(sent.events.first { $0.type == "verification.send" })
    let reference = try #require(event.data["reference"])
    let code = try #require(event.data["code"])
    #expect(event.data["to"] == "mum@example.com")
    #expect(sent.state.parentalConsent == "pending")
    #expect(!sent.text.contains(code))

    // Not in the child's own session.
    #expect(try engine.send("\(reference) \(code)", to: child).decision?.kind == "parental_consent.same_person")

    let parent = try session(engine, device: "mum-phone")
    let asked = try engine.send(reference, to: parent)
    #expect(asked.intent == "parent.ask_code")
    #expect(asked.text.contains("erasure"))
    let shown = try engine.send(code, to: parent)
    #expect(shown.intent == "parent.ask_agree")
    let verified = try engine.send("yes", to: parent)
    #expect(verified.intent == "parent.verified")
    #expect(verified.events.contains { $0.type == "parental_consent.confirmed" })

    let proceeds = try engine.send("please delete my data", to: child)
    #expect(proceeds.intent == "request.erasure")
    #expect(proceeds.state.parentalConsent == "verified")
    #expect(proceeds.state.childPrivacy == true)
  }

  @Test func wrongCodesLockTheCodeAndANewOneCanBeSent() throws {
    let engine = try TestEngine.make()
    let child = try session(engine, country: "ZA")
    _ = try engine.send("please delete my data", to: child)
    _ = try engine.send("I'm 15", to: child)
    let sent = try engine.send("mum@example.com", to: child)
    let reference = try #require(sent.events.first?.data["reference"])
    let code = try #require(sent.events.first?.data["code"])
    let wrong = code == "000000" ? "111111" : "000000"
    let parent = try session(engine)
    _ = try engine.send(reference, to: parent)
    for remaining in [4, 3, 2, 1] {
      let turn = try engine.send(wrong, to: parent)
      #expect(turn.text.contains("\(remaining) more"))
    }
    let locked = try engine.send(wrong, to: parent)
    #expect(locked.decision?.kind == "parental_consent.locked")
    let tooLate = try engine.perform(.enterCode(reference: reference, code: code), in: parent)
    #expect(tooLate.intent == "parent.locked")
    let fresh = try engine.send("send a new code \(reference)", to: parent)
    let newCode = try #require(fresh.events.first { $0.type == "verification.send" }?.data["code"])
    #expect(try engine.send(newCode, to: parent).intent == "parent.ask_agree")
  }

  @Test func anExpiredCodeNoLongerWorks() throws {
    let clock = ManualClock(TestEngine.start)
    let engine = try Engine(
      configuration: EngineConfiguration(
        home: TestEngine.repositoryRoot, database: .inMemory, clock: clock, random: SeededRandomSource(seed: 5)))
    let child = try session(engine, country: "ZA")
    _ = try engine.send("please delete my data", to: child)
    _ = try engine.send("I'm 15", to: child)
    let sent = try engine.send("mum@example.com", to: child)
    let reference = try #require(sent.events.first?.data["reference"])
    let code = try #require(sent.events.first?.data["code"])
    clock.advance(by: 25 * 3600)
    let parent = try session(engine)
    let turn = try engine.send(reference, to: parent)
    #expect(turn.decision?.kind == "parental_consent.expired")
    #expect(try engine.perform(.enterCode(reference: reference, code: code), in: parent).intent == "parent.expired")
  }

  @Test func aHostCanRecordItsOwnVerificationOfTheParent() throws {
    let engine = try TestEngine.make()
    let (child, reference) = try childAwaitingParent(engine, country: "DE", age: 14, parent: "dad@example.com")
    let parent = try session(engine)
    #expect(throws: EngineError.self) {
      try engine.perform(.hostVerified(reference: reference, method: "telepathy"), in: parent)
    }
    let turn = try engine.perform(.hostVerified(reference: reference, method: "video_call"), in: parent)
    #expect(turn.intent == "parent.verified")
    #expect(turn.text.contains("video call"))
    #expect(try engine.send("please delete my data", to: child).intent == "request.erasure")
  }

  @Test func aParentWhoRevokesStopsItAtOnce() throws {
    let engine = try TestEngine.make()
    let (child, reference) = try childAwaitingParent(engine, country: "ZA", age: 15, parent: "mum@example.com")
    let parent = try session(engine)
    _ = try engine.perform(.hostVerified(reference: reference, method: "card"), in: parent)
    #expect(try engine.send("please delete my data", to: child).intent == "request.erasure")
    let revoked = try engine.send("revoke my consent for my child \(reference)", to: parent)
    #expect(revoked.intent == "parent.revoked")
    let held = try engine.send("please delete my data", to: child)
    #expect(held.intent != "request.erasure")
    #expect(held.state.parentalConsent == "revoked")
  }

  @Test func aStrangerWithOnlyTheReferenceMustProveTheyAreTheParent() throws {
    let engine = try TestEngine.make()
    let (_, reference) = try childAwaitingParent(engine, country: "ZA", age: 15, parent: "mum@example.com")
    let stranger = try session(engine)
    let turn = try engine.send("revoke my consent for my child \(reference)", to: stranger)
    #expect(turn.intent == "parent.verify_again")
    #expect(turn.events.first?.data["to"] == "mum@example.com")
    #expect(try engine.send("123", to: stranger).intent == "parent.ask_code_again")
  }

  @Test(arguments: ["is my data sold", "do you sell it", "what are cookies"])
  func aShortQuestionDuringTheScreenOrTheOfferIsAnswered(question: String) throws {
    let engine = try TestEngine.make()
    let id = try session(engine, country: "ZA")
    _ = try engine.send("please delete my data", to: id)
    #expect(try engine.send(question, to: id).intent.hasPrefix("policy."))
    _ = try engine.send("please delete my data", to: id)
    _ = try engine.send("I'm 15", to: id)
    #expect(try engine.send(question, to: id).intent.hasPrefix("policy."))
    // The offer still stands: a parent's address typed afterwards reaches it.
    #expect(try engine.send("mum@example.com", to: id).intent == "parent.sent")
  }

  @Test func aLaterYoungerAnswerMakesTheOutcomeStricterNeverMoreLenient() throws {
    let engine = try TestEngine.make()
    let id = try session(engine, country: "FR")
    _ = try engine.send("please delete my data", to: id)
    #expect(try engine.send("I'm 16", to: id).state.ageGate == "adult")
    let younger = try engine.send("actually I'm 12", to: id)
    #expect(younger.state.ageGate == "below_service_age")
    #expect(younger.decision?.kind == "age_gate.below_service_age")
    #expect(try engine.perform(.declareAge("30"), in: id).decision?.kind == "age_gate.redeclaration_refused")
    #expect(try engine.send("/age 20", to: id).decision?.kind == "age_gate.redeclaration_refused")
  }

  @Test func aCountryThatMakesSomeoneAChildOffersTheParentRoute() throws {
    let engine = try TestEngine.make()
    let id = try session(engine, country: "GB")
    _ = try engine.send("please delete my data", to: id)
    #expect(try engine.send("I'm 15", to: id).state.ageGate == "adult")
    #expect(try engine.send("I'm from South Africa", to: id).state.ageGate == "needs_parental_consent")
    let asked = try engine.send("parent@example.com", to: id)
    #expect(asked.intent == "parent.sent")
    #expect(asked.text.contains("any kind") == false)
  }

  @Test func aConsentCoversWhatWasAskedForAndNothingElse() throws {
    let engine = try TestEngine.make()
    let (child, reference) = try childAwaitingParent(engine, country: "ZA", age: 15, parent: "mum@example.com")
    _ = try engine.perform(.hostVerified(reference: reference, method: "card"), in: try session(engine))
    #expect(try engine.send("please delete my data", to: child).intent == "request.erasure")
    let other = try engine.send("send me a copy of my data", to: child)
    #expect(other.text.contains("covers a different request"))
    #expect(other.state.ageGate == "needs_parental_consent")
  }

  @Test func afterAReviewRevokeAndDeleteReferToTheConsentShown() throws {
    let engine = try TestEngine.make()
    let child = try session(engine, country: "ZA")
    _ = try engine.send("please delete my data", to: child)
    _ = try engine.send("I'm 15", to: child)
    let sent = try engine.send("mum@example.com", to: child)
    let reference = try #require(sent.events.first?.data["reference"])
    let code = try #require(sent.events.first?.data["code"])
    let parent = try session(engine)
    _ = try engine.send(reference, to: parent)
    _ = try engine.send(code, to: parent)
    _ = try engine.send("yes", to: parent)
    #expect(try engine.send("review consent \(reference)", to: parent).intent == "parent.review_result")
    let revoked = try engine.send("revoke", to: parent)
    #expect(revoked.intent == "parent.revoked")
    #expect(revoked.events.contains { $0.type == "parental_consent.revoked" && $0.data["to"] == "mum@example.com" })
    let review = try engine.send("review consent \(reference)", to: parent)
    #expect(!review.text.contains("\"revoke\""))
    #expect(try engine.send("delete", to: parent).intent == "parent.deleted")
  }

  @Test func aParentSideDecisionStatesTheConsentsFactsNotTheParents() throws {
    let engine = try TestEngine.make()
    let (child, reference) = try childAwaitingParent(engine, country: "ZA", age: 15, parent: "mum@example.com")
    let refused = try engine.send(reference, to: child)
    #expect(refused.decision?.facts == ["reference": reference, "where": "the child's own session"])
    let parent = try session(engine)
    #expect(
      try engine.perform(.confirmConsent(reference: reference, agree: true), in: parent).intent == "parent.code_first")
    #expect(throws: EngineError.self) {
      try engine.perform(.enterCode(reference: "PC-ZZZZZZ", code: "123456"), in: parent)
    }
  }
}
