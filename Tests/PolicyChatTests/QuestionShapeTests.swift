import Foundation
import Testing

@testable import PolicyChat

/// The question shapes of `intents/policy-questions.yaml` and the focusing of a rule's
/// section onto one of its parts (`Understanding.focused`), each checked on the kind of
/// question that was misrouted before them (issue 20: PrivacyQA top-1 from 70.5 %). Each
/// question is asked first in a new adult session, so no earlier topic steers it.
@Suite struct QuestionShapeTests {
  static let cases: [(question: String, intent: String)] = [
    // The service as the subject of a verb of collecting: what is collected, not sharing.
    ("does the app read my messages?", "policy.collection.communications"),
    ("can this app access my contact list?", "policy.collection"),
    ("will my camera be accessed?", "policy.collection"),
    ("what permissions does the app request?", "policy.collection"),
    ("will I have to provide my address?", "policy.collection.contact"),
    // A broad question keeps the whole section; a telling part answers a narrow one.
    ("what data do you collect about me?", "policy.collection"),
    ("do u collect my phone number", "policy.collection.contact"),
    ("do you collect my location?", "policy.collection.sensitive"),
    // What is done with it.
    ("how is my data used?", "policy.purposes"),
    ("what will you do with all my information?", "policy.purposes"),
    ("how does the app use my information?", "policy.purposes"),
    // Stored securely is security, kept for how long is retention.
    ("is my data stored securely?", "policy.security"),
    ("how long do you keep my data?", "policy.retention.periods"),
  ]

  @Test(arguments: cases) func questionRoutesToItsSection(_ question: String, _ intent: String) throws {
    let engine = TestEngine.shared
    let turn = try engine.send(question, to: try TestEngine.adultSession(engine))
    #expect(turn.intent == intent, "\(question) -> \(turn.intent)")
  }

  /// `/why` names both the rule's section and the part it was narrowed to, so the pattern
  /// shown does not seem to contradict the choice.
  @Test func theExplanationSaysWhenARuleWasNarrowedToAPart() throws {
    let engine = TestEngine.shared
    let session = try TestEngine.adultSession(engine)
    let turn = try engine.send("do u collect my phone number", to: session)
    #expect(turn.intent == "policy.collection.contact")
    let why = try engine.send("/why", to: session).text
    #expect(why.contains("it names policy.collection; narrowed to its part policy.collection.contact"), "\(why)")
    let broad = try engine.send("what data do you collect about me?", to: session)
    #expect(broad.intent == "policy.collection")
    #expect(try !engine.send("/why", to: session).text.contains("narrowed"))
  }

  /// A shape that looks like collecting but asks about others seeing the data, or about
  /// keeping it, is not taken for "what is collected".
  @Test(arguments: [
    "can other people see my messages?",
    "does the app keep my data forever?",
    "do you share my location with third parties?",
  ])
  func otherSubjectsAndOtherQuestionsAreNotCollection(_ question: String) throws {
    let engine = TestEngine.shared
    let turn = try engine.send(question, to: try TestEngine.adultSession(engine))
    #expect(!turn.intent.hasPrefix("policy.collection"), "\(question) -> \(turn.intent)")
  }

  /// A request is still a request: the focusing applies to policy sections only.
  @Test func aRequestStillStartsItsFlow() throws {
    let engine = TestEngine.shared
    let turn = try engine.send("delete my data", to: try TestEngine.adultSession(engine))
    #expect(turn.intent == "request.erasure")
  }
}
