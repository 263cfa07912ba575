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

  @Test func noDevSetQuestionAsksForAnAgeOrAnAddressBeforeAnswering() throws {
    let engine = TestEngine.shared
    var asked: [String] = []
    for question in try Evaluation.devQuestions() where question.kind != "request" {
      let session = try engine.openSession().sessionId
      if Self.asksAboutThePerson(try engine.send(question.q, to: session)) { asked.append(question.q) }
    }
    #expect(asked.isEmpty, "\(asked)")
  }

  @Test func noPrivacyQAQuestionAsksForAnAgeOrAnAddressBeforeAnswering() throws {
    let engine = TestEngine.shared
    var asked: [String] = []
    let questions = try Evaluation.privacyQA()
    for (question, _) in questions {
      let session = try engine.openSession().sessionId
      if Self.asksAboutThePerson(try engine.send(question, to: session)) { asked.append(question) }
    }
    #expect(questions.count > 1_000)
    #expect(asked.isEmpty, "\(asked.count): \(asked.prefix(40))")
  }

  /// The 568 distinct questions of PolicyQA's development split (other organisations'
  /// policies; shared/eval/policyqa_dev.json, copied into Fixtures): asked of Rousora, none
  /// is taken for a request. "What is your data access policy?", "will you delete my data
  /// after …?" and "what is the opt-out link if I want to unsubscribe?" were.
  @Test func noPolicyQAQuestionAsksForAnAgeOrAnAddressBeforeAnswering() throws {
    let engine = TestEngine.shared
    let questions = try TestEngine.fixture("policyqa_dev_questions.txt").split(separator: "\n").map(String.init)
    var asked: [String] = []
    for question in questions {
      let session = try engine.openSession().sessionId
      if Self.asksAboutThePerson(try engine.send(question, to: session)) { asked.append(question) }
    }
    #expect(questions.count > 500)
    #expect(asked.isEmpty, "\(asked.count): \(asked.prefix(40))")
  }

  /// Every question of the transcripts (a user line ending in "?"), asked first in a new
  /// session. Human review is the one request that may ask for the address at once: it is
  /// always open, and its reply first says that a person can review anything.
  @Test func noTranscriptQuestionAsksForAnAgeOrAnAddressBeforeAnswering() throws {
    let engine = TestEngine.shared
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
    var asked: [String] = []
    for question in questions {
      let session = try engine.openSession().sessionId
      let turn = try engine.send(question, to: session)
      if Self.asksAboutThePerson(turn), turn.intent != "request.human_review" { asked.append(question) }
    }
    #expect(questions.count >= 100)
    #expect(asked.isEmpty, "\(asked)")
  }
}
