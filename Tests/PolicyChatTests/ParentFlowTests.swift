import Foundation
import Testing

@testable import PolicyChat

/// The parental consent flows as values: a step writes nothing of its own (but the
/// verifier's codes and budgets); what it decides comes back as effects, which the engine
/// applies together once the turn is made.
@Suite struct ParentFlowTests {
  /// A child of South Africa who asked for an erasure and gave a parent's address: the
  /// child's session, the consent's reference and the code sent to the parent.
  private func childAwaitingParent(_ engine: Engine) throws -> (child: String, reference: String, code: String) {
    let child = try engine.openSession(SessionOptions(country: "ZA")).sessionId
    _ = try engine.send("please delete my data", to: child)
    _ = try engine.send("14 March 2011", to: child)
    let sent = try engine.send("mum@example.com", to: child)
    let event = try #require(sent.events.first { $0.type == "verification.send" })
    return (child, try #require(event.data["reference"]), try #require(event.data["code"]))
  }

  @Test func aParentsNoIsAskedForAsEffectsAndStoredOnlyWhenTheyAreApplied() throws {
    let engine = try TestEngine.make()
    let (child, reference, code) = try childAwaitingParent(engine)
    let context = engine.flowContext(engine.clock.now())
    var state = SessionState(id: "s-parent-of-test")

    let asked = try ParentFlow.start(.consent, reference: reference, context: context, state: &state)
    guard case .reply(let question, .flow(let waiting)?) = asked else {
      Issue.record("the flow asks for the code and waits on it")
      return
    }
    #expect(question.parts.first?.template == "parent.ask_code")
    let shown = try waiting.step(.text(message: code, normalized: code), context: context, state: &state)
    guard case .reply(let agree, .flow(let confirming)?) = shown else {
      Issue.record("the flow asks for a yes or no and waits on it")
      return
    }
    #expect(agree.parts.first?.template == "parent.ask_agree")
    #expect(state.effects.isEmpty)

    let refused = try confirming.step(
      .action(.confirmConsent(reference: reference, agree: false)), context: context, state: &state)
    guard case .reply(let reply, nil) = refused else {
      Issue.record("the flow is done once the parent said no")
      return
    }
    #expect(reply.parts.first?.template == "parent.refused")
    // Nothing is written yet: the record still says pending, no deletion is logged.
    #expect(try engine.store.parentalConsent(reference: reference)?.status == "pending")
    let deletions = try engine.store.records.count(DeletionRecord.self, matching: .all)
    let kinds = state.effects.map { effect -> String in
      switch effect {
      case .parentalConsent(let record): "consent:\(record.status)"
      case .deleteChildData(let sessionId, _, _): "delete:\(sessionId ?? "none")"
      case .tellChild(let sessionId, let status, _): "tell:\(sessionId ?? "none"):\(status)"
      default: "other"
      }
    }
    #expect(kinds == ["consent:refused", "delete:\(child)", "tell:\(child):refused"])

    try engine.applyEffects(of: &state, now: context.now)
    #expect(state.effects.isEmpty)
    let stored = try #require(try engine.store.parentalConsent(reference: reference))
    #expect(stored.status == "refused" && stored.parentContact == nil)
    #expect(try engine.store.records.count(DeletionRecord.self, matching: .all) == deletions + 1)
  }

  @Test func aProtocolActionWithNothingWaitingGoesStraightIntoTheFlow() throws {
    let engine = try TestEngine.make()
    let (_, reference, _) = try childAwaitingParent(engine)
    let context = engine.flowContext(engine.clock.now())
    var state = SessionState(id: "s-host-of-test")
    let outcome = try ParentFlow(question: nil).step(
      .action(.hostVerified(reference: reference, method: "card")), context: context, state: &state)
    guard case .reply(let reply, nil) = outcome else {
      Issue.record("the host's word settles the consent in one step")
      return
    }
    #expect(reply.parts.first?.template == "parent.verified")
    #expect(reply.events.contains { $0.type == "parental_consent.confirmed" && $0.data["hostMethod"] == "card" })
    #expect(try engine.store.parentalConsent(reference: reference)?.status == "pending")
    try engine.applyEffects(of: &state, now: context.now)
    #expect(try engine.store.parentalConsent(reference: reference)?.status == "verified")
  }

  @Test func onlyTheCodeQuestionKeepsTheMessageOutOfHistory() {
    #expect(ParentFlow(question: .code(reference: "PC-TEST01", action: .consent)).waitsOnCode)
    #expect(!ParentFlow(question: .agree(reference: "PC-TEST01")).waitsOnCode)
    #expect(!ParentFlow(question: .followUp(reference: "PC-TEST01")).yieldsToScreenAnswers)
    #expect(ParentFlow(question: .reference(.review)).yieldsToScreenAnswers)
  }
}
