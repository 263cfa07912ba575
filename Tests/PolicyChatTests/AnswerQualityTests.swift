import Foundation
import PolicyChat
import Testing

/// Answer quality on the evaluation sets. The figures are printed, and reported in
/// docs/QUALITY.md; the floors are the acceptance criteria of the engine.
@Suite struct AnswerQualityTests {
  private var verbose: Bool { ProcessInfo.processInfo.environment["QUALITY_VERBOSE"] != nil }

  @Test func devSetQuestionsAndFallbacksPassAtLeastNinetyFivePercent() throws {
    let engine = TestEngine.shared
    var passed = 0
    var total = 0
    for question in try Evaluation.devQuestions() where question.kind != "request" {
      let session = try TestEngine.adultSession(engine)
      let turn = try engine.send(question.q, to: session)
      total += 1
      if Evaluation.passes(question, turn) {
        passed += 1
      } else if verbose {
        print("MISS \(question.id) \(question.q) -> \(turn.intent)\n\(turn.text)\n")
      }
    }
    print("dev set qa+fallback: \(passed)/\(total)")
    #expect(Double(passed) >= 0.95 * Double(total))
  }

  @Test func everyDevSetRequestGetsItsIntent() throws {
    let engine = TestEngine.shared
    for question in try Evaluation.devQuestions() where question.kind == "request" {
      let session = try TestEngine.adultSession(engine)
      let turn = try engine.send(question.q, to: session)
      #expect(question.intents?.contains(turn.intent) == true, "\(question.id): \(question.q) -> \(turn.intent)")
    }
  }

  @Test func privacyQAQuestionsRouteToTheirSectionAtLeastSeventyFivePercent() throws {
    let engine = TestEngine.shared
    var labelled = 0
    var correct = 0
    var none = 0
    var noneToFallback = 0
    var labelledToFallback = 0
    for (question, labels) in try Evaluation.privacyQA() {
      let session = try TestEngine.adultSession(engine)
      let turn = try engine.send(question, to: session)
      if labels == ["none"] {
        none += 1
        if turn.intent == "fallback" { noneToFallback += 1 }
        continue
      }
      labelled += 1
      if turn.intent == "fallback" { labelledToFallback += 1 }
      if Evaluation.isCorrect(section: Evaluation.section(of: turn), labels: labels) {
        correct += 1
      } else if verbose {
        print("MISS [\(labels.joined(separator: ","))] \(question) -> \(turn.intent) (\(turn.confidence))")
      }
    }
    let accuracy = Double(correct) / Double(labelled)
    print(
      "PrivacyQA routing: \(correct)/\(labelled) labelled questions to a right section (\(String(format: "%.1f", accuracy * 100))%), \(labelledToFallback) labelled to fallback; \(noneToFallback)/\(none) 'none' questions to fallback"
    )
    #expect(accuracy >= 0.75)
  }
}
