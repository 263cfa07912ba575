import Foundation
import Testing

@testable import PolicyChat

/// The age screen as a flow: its steps decide and ask for writes as effects, and a front
/// end's country goes to it as a place, never as a sentence for the text parser.
@Suite struct AgeScreenFlowTests {
  @Test func aChildsAnswerIsAskedForAsEffectsAndStoredOnlyWhenTheyAreApplied() throws {
    let engine = try TestEngine.make()
    let now = engine.clock.now()
    let context = engine.flowContext(now)
    var state = SessionState(id: "s-age-screen-test")
    state.country = "ZA"
    state.deviceHash = "device-hash-of-test"
    let action = GatedAction(intent: "request.erasure", replies: [], sources: [], trace: .plain(.gate, intent: "x"))

    let asked = try AgeScreenFlow.screen(action, context: context, state: &state)
    guard case .reply(let question, .flow(let waiting as AgeScreenFlow)?) = asked else {
      Issue.record("the screen asks for the date of birth and waits on it")
      return
    }
    #expect(question.parts.first?.template == "age.ask_birth")
    #expect(waiting.question == .birth)
    let answered = try waiting.step(
      .text(message: "14 March 2011", normalized: "14 march 2011"), context: context, state: &state)
    guard case .reply(let outcome, .flow(let parent)?) = answered else {
      Issue.record("a child is offered to ask a parent, and the offer waits")
      return
    }
    #expect(parent is ParentalConsentFlow)
    #expect(outcome.parts.map(\.template) == ["age.parental_consent_required", "parent.offer"])
    #expect(outcome.decision?.kind == DecisionKind.parentalConsentRequired.rawValue)
    #expect(state.ageGate == .needsParentalConsent)
    // Decided, but nothing written: the device's memory is still empty, no deletion logged.
    #expect(try engine.store.deviceOutcome(deviceHash: "device-hash-of-test", since: .distantPast) == nil)
    #expect(try engine.store.records.count(DeletionRecord.self, matching: .all) == 0)

    try engine.applyEffects(of: &state, now: now)
    #expect(state.effects.isEmpty)
    #expect(
      try engine.store.deviceOutcome(deviceHash: "device-hash-of-test", since: .distantPast)
        == AgeGateOutcome.needsParentalConsent.rawValue)
    #expect(try engine.store.records.count(DeletionRecord.self, matching: .all) == 1)
  }

  @Test func aLooserAnswerNeverOverwritesTheDevicesStricterOne() throws {
    let engine = try TestEngine.make()
    let now = engine.clock.now()
    try engine.store.deviceAnswered(
      deviceHash: "device-hash-of-test", outcome: AgeGateOutcome.belowServiceAge.rawValue, at: now)
    var state = SessionState(id: "s-age-screen-test")
    state.country = "ZA"
    state.deviceHash = "device-hash-of-test"
    let standing = try AgeScreenFlow.becameChild(
      .needsParentalConsent, context: engine.flowContext(now), state: &state, reason: "test")
    #expect(standing == .belowServiceAge)
    try engine.applyEffects(of: &state, now: now)
    #expect(
      try engine.store.deviceOutcome(deviceHash: "device-hash-of-test", since: .distantPast)
        == AgeGateOutcome.belowServiceAge.rawValue)
  }

  @Test func countrySetAtTheBirthQuestionTakesTheCountryAndAsksAgain() throws {
    let engine = try TestEngine.make()
    let id = try engine.openSession().sessionId
    _ = try engine.send("please delete my data", to: id)
    _ = try engine.send("I'd rather not say", to: id)
    let set = try engine.perform(.setCountry("DE"), in: id)
    #expect(set.intent == "country.set")
    #expect(set.state.country == "DE")
    #expect(set.state.ageGate == "asking")
    #expect(set.replies.count == 2)
    // The request still waits on the screen: the date of birth lets it through.
    let adult = try engine.perform(.declareAge("1990-05-01"), in: id)
    #expect(adult.intent == "request.erasure")
  }

  @Test func countrySetWhileARequestWaitsOnItsAddressLeavesTheRequestWaiting() throws {
    let engine = try TestEngine.make()
    let id = try engine.openSession(SessionOptions(country: "ZA")).sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: id)
    _ = try engine.perform(.startRequest(type: "access"), in: id)
    let set = try engine.perform(.setCountry("Germany"), in: id)
    #expect(set.intent == "country.set")
    #expect(set.state.country == "DE")
    let sent = try engine.perform(.requestAnswer(field: "email", value: "ada@example.com"), in: id)
    #expect(sent.intent == "request.code_sent")
  }

  @Test func countrySetForAChildNeverLiftsTheOutcome() throws {
    let engine = try TestEngine.make()
    let id = try engine.openSession(SessionOptions(country: "ZA")).sessionId
    _ = try engine.perform(.declareAge("17"), in: id)
    // 17 is under South Africa's 18 and over Germany's 16: a form cannot lift the outcome.
    let set = try engine.perform(.setCountry("DE"), in: id)
    #expect(set.intent == "age.country_change_refused")
    #expect(set.state.childPrivacy == true)
  }
}
