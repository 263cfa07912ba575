import Foundation
import Testing

@testable import PolicyChat

/// A question is answered before anything about the person is asked (issue 20): no
/// question of the dev set or of PrivacyQA, asked in a new session, gets the age screen or
/// a request for an e-mail address in reply. Requests ("delete my data") still start
/// their flow; `everyDevSetRequestGetsItsIntent` checks those.
@Suite struct AnswerBeforeAskingTests {
  /// Whether a turn asks the person for their age, country or e-mail address: a step of
  /// the age screen, or a request that collects (its flow asks for the address), judged by
  /// the turn's intent and the intent files rather than by the wording of a reply. A status
  /// look-up ("what's the status of RQ-…?") collects nothing and asks nothing.
  static func asksAboutThePerson(_ turn: Turn) -> Bool {
    turn.intent.hasPrefix("age.") || turn.state.ageGate == "asking"
      || TestEngine.shared.catalog.intent(turn.intent)?.collects == true
      // Human review screens no age but asks for the address at once.
      || turn.intent == "request.human_review"
  }

  /// The questions that, each asked first in a new session, get a turn that asks about
  /// the person (other than by one of the `allowed` intents).
  static func askingFirst(_ questions: [String], allowed: Set<String> = []) throws -> [String] {
    let engine = TestEngine.shared
    return try questions.filter { question in
      let turn = try engine.send(question, to: try engine.openSession().sessionId)
      return asksAboutThePerson(turn) && !allowed.contains(turn.intent)
    }
  }

  @Test func noDevSetQuestionAsksForAnAgeOrAnAddressBeforeAnswering() throws {
    let asked = try Self.askingFirst(try Evaluation.devQuestions().filter { $0.kind != "request" }.map(\.q))
    #expect(asked.isEmpty, "\(asked)")
  }

  @Test func noPrivacyQAQuestionAsksForAnAgeOrAnAddressBeforeAnswering() throws {
    let questions = try Evaluation.privacyQA().map(\.question)
    let asked = try Self.askingFirst(questions)
    #expect(questions.count > 1_000)
    #expect(asked.isEmpty, "\(asked.count): \(asked.prefix(40))")
  }

  /// The 568 distinct questions of PolicyQA's development split (other organisations'
  /// policies; shared/eval/policyqa_dev.json, copied into Fixtures): asked of Rousora, none
  /// is taken for a request. "What is your data access policy?", "will you delete my data
  /// after …?" and "what is the opt-out link if I want to unsubscribe?" were.
  @Test func noPolicyQAQuestionAsksForAnAgeOrAnAddressBeforeAnswering() throws {
    let questions = try TestEngine.fixture("policyqa_dev_questions.txt").split(separator: "\n").map(String.init)
    let asked = try Self.askingFirst(questions)
    #expect(questions.count > 500)
    #expect(asked.isEmpty, "\(asked.count): \(asked.prefix(40))")
  }

  /// Every question of the transcripts (a user line ending in "?"), asked first in a new
  /// session. Human review is the one request that may ask for the address at once: it is
  /// always open, and its reply first says that a person can review anything.
  @Test func noTranscriptQuestionAsksForAnAgeOrAnAddressBeforeAnswering() throws {
    let folder = TestEngine.repositoryRoot.appendingPathComponent("transcripts")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
    var questions: [String] = []
    for file in files.sorted() {
      let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
      for line in text.split(separator: "\n") {
        guard let match = line.firstMatch(of: #/^\s*(- )?user: (.*)$/#) else { continue }
        var question = String(match.output.2).trimmingCharacters(in: .whitespaces)
        if let first = question.first, first == "\"" || first == "'", question.count > 1, question.last == first {
          question = String(question.dropFirst().dropLast())
        }
        if question.hasSuffix("?"), !question.hasPrefix("/") { questions.append(question) }
      }
    }
    let asked = try Self.askingFirst(questions, allowed: ["request.human_review"])
    #expect(questions.count >= 100)
    #expect(asked.isEmpty, "\(asked)")
  }
}
