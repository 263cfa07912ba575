import Foundation
import PolicyChat
import Testing

/// No automated decision without an explanation: every kind the engine's source can make
/// is in knowledge/decisions.yaml, with a rule, logic, consequence and contest route.
@Suite struct DecisionCatalogTests {
  @Test(arguments: DecisionKind.allCases)
  func everyDecisionTheEngineCanMakeIsExplained(kind: DecisionKind) throws {
    let entry = try #require(TestEngine.shared.decisions.entries[kind.rawValue], "not in knowledge/decisions.yaml")
    for part in [entry.rule, entry.logic, entry.consequence, entry.contest] {
      #expect(part.count > 20)
    }
    #expect(entry.contest.contains("{contact}") || entry.contest.contains("person"), "no route to a person")
  }

  @Test func theEngineMakesDecisionsOnlyOfTheListedKinds() throws {
    // makeDecision takes a DecisionKind; no string can slip past the list.
    let folder = TestEngine.repositoryRoot.appendingPathComponent("Sources/PolicyChat")
    let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
    while let url = files?.nextObject() as? URL {
      guard url.pathExtension == "swift" else { continue }
      let text = try String(contentsOf: url, encoding: .utf8)
      #expect(!text.contains("Decision(kind: \""), "\(url.lastPathComponent) makes a decision outside the list")
    }
  }

  @Test func aDecisionInATurnCarriesItsRuleLogicFactsAndContestRoute() throws {
    let engine = try TestEngine.make()
    let id = try engine.openSession(SessionOptions(country: "DE")).sessionId
    _ = try engine.send("please delete my data", to: id)
    let decision = try #require(try engine.send("I'm 15", to: id).decision)
    #expect(decision.kind == "age_gate.parental_consent_required")
    #expect(decision.rule?.contains("Germany") == true)
    #expect(decision.explanation.contains("16"))
    #expect(decision.facts == ["country": "DE", "consentAge": "16", "serviceAge": "13", "answer": "under 16"])
    #expect(decision.contest?.contains("support@rousora.com") == true)
    let why = try engine.send("/why", to: id).text
    #expect(why.contains("Automated decision: age_gate.parental_consent_required"))
    #expect(why.contains("To contest it:"))
  }

  @Test(arguments: ["why did you say that?", "are you a bot?", "do you profile me?"])
  func aSideQuestionMidStepIsAnsweredAndTheStepWaits(question: String) throws {
    let engine = try TestEngine.make()
    let id = try engine.openSession(SessionOptions(country: "ZA")).sessionId
    _ = try engine.send("please delete my data", to: id)
    let side = try engine.send(question, to: id)
    #expect(side.state.ageGate == "asking")
    #expect(try engine.send("14 March 1990", to: id).intent == "request.erasure")
  }

  @Test func theExplanationOfADecisionSaysItInPlainWords() throws {
    let engine = try engine()
    let id = try engine.openSession(SessionOptions(country: "DE")).sessionId
    _ = try engine.send("please delete my data", to: id)
    _ = try engine.send("I'm 15", to: id)
    let why = try engine.send("why did you say that?", to: id)
    #expect(why.intent == "explain")
    #expect(why.text.hasPrefix("In short: I made an automated decision (deferred): The date of birth given"))
    #expect(why.text.contains("Facts used: the answer: under 16; consent age: 16; country: DE; service age: 13"))
  }

  private func engine() throws -> Engine { try TestEngine.make() }
}
