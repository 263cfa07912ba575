import Foundation
import PolicyChat
import Testing

/// How the engine answers, turn by turn.
@Suite struct ConversationTests {
  private let engine = TestEngine.shared

  private func ask(_ messages: [String]) throws -> [Turn] {
    let session = try TestEngine.adultSession(engine)
    return try messages.map { try engine.send($0, to: session) }
  }

  @Test func theOpeningTurnDisclosesAnAutomatedAssistantOnItsFirstLine() throws {
    let turn = try engine.openSession()
    let firstLine = turn.text.split(separator: "\n").first.map(String.init) ?? ""
    #expect(firstLine.contains("automated"))
    #expect(firstLine.contains("not a person"))
    #expect(turn.automated)
    #expect(turn.events.contains(TurnEvent(type: "disclosure", data: ["automated": "true"])))
  }

  @Test func aPolicyAnswerIsShortCitedAndInThePolicysWords() throws {
    let turn = try #require(try ask(["Do you sell personal information?"]).first)
    #expect(turn.intent == "policy.sharing")
    #expect(turn.text.contains("Rousora does not sell personal information."))
    #expect(turn.text.hasSuffix("From: Disclosure and sharing"))
    #expect(turn.sources == [SourceReference(id: "sharing", title: "Disclosure and sharing")])
    #expect(turn.text.count < 1_500)
    #expect(turn.confidence > 0 && turn.confidence <= 1)
  }

  @Test(arguments: [
    ("Delete my data", "request.erasure"),
    ("Correct my email address", "request.correction"),
    ("I want to withdraw my consent", "request.withdraw_consent"),
    ("Please export my data", "request.portability"),
    ("I want a human to look at this", "request.human_review"),
    ("I want to complain about my data being misused", "request.complaint"),
  ])
  func aRequestIsRecognisedAndStartsByVerifyingThePerson(message: String, intent: String) throws {
    let turn = try #require(try ask([message]).first)
    #expect(turn.intent == intent)
    #expect(turn.text.contains("what is your e-mail address?"))
    #expect(!turn.text.contains("has been deleted") && !turn.text.contains("is RQ-"))
  }

  @Test func aQuestionAboutARightIsAnsweredFromThePolicyNotTakenAsARequest() throws {
    let turn = try #require(try ask(["What is the right to data portability?"]).first)
    #expect(turn.intent == "policy.rights.portability")
    #expect(turn.text.contains("structured, commonly used format"))
  }

  @Test(arguments: ["What's the best pizza in Johannesburg?", "Sing me a song", "zzzz xxyy", ""])
  func anOutOfScopeMessageFallsBackWithTheContactAddress(message: String) throws {
    let turn = try #require(try ask([message]).first)
    #expect(turn.intent == "fallback")
    #expect(turn.text.contains("support@rousora.com"))
    #expect(turn.sources.isEmpty)
  }

  @Test func aFollowUpLeansOnTheLastTopic() throws {
    let turns = try ask(["How long does cookie consent last in Germany?", "and how long is that valid?"])
    #expect(turns[0].intent == "policy.cookies.consent")
    #expect(turns[1].intent == "policy.cookies.consent")
    #expect(turns[1].text.contains("6–12 months"))
    #expect(turns[1].state.topic == "cookies.consent")
  }

  @Test func whatAboutSwitchesTopicWithinTheConversation() throws {
    let turns = try ask(["How long do you keep my data?", "what about cookies?"])
    #expect(turns[0].intent.hasPrefix("policy.retention"))
    #expect(turns[1].intent.hasPrefix("policy.cookies"))
  }

  @Test func misspellingsAndChatShorthandAreUnderstood() throws {
    let turns = try ask(["how long do u retian my informaton", "wat do u do wit my data"])
    #expect(turns[0].intent.hasPrefix("policy.retention"))
    #expect(turns[1].intent == "policy.purposes")
  }

  @Test func aOneWordMessageWithSeveralAnswersIsClarifiedAndAChoiceByNumberIsAnswered() throws {
    let session = try engine.openSession().sessionId
    let question = try engine.send("consent", to: session)
    #expect(question.intent == "clarify")
    let choices = try #require(question.state.choices)
    #expect(choices.count >= 2)
    #expect(Set(choices).count == choices.count)
    #expect(question.text.contains("1. "))
    #expect(question.text.contains("2. "))
    let answer = try engine.send("the second one", to: session)
    #expect(answer.intent == choices[1])
    #expect(answer.state.choices == nil)
  }

  @Test func aChoiceOutOfRangeIsAskedAgain() throws {
    let session = try engine.openSession().sessionId
    let question = try engine.send("consent", to: session)
    let choices = try #require(question.state.choices)
    let again = try engine.send(String(choices.count + 1), to: session)
    #expect(again.intent == "clarify")
    #expect(again.state.choices == choices)
    #expect(again.text.contains("1. "))
    #expect(try engine.send("1", to: session).intent == choices[0])
  }

  @Test func aNewQuestionAfterAClarificationIsAnsweredAsUsual() throws {
    let turns = try ask(["consent", "Do you sell personal information?"])
    #expect(turns[0].intent == "clarify")
    #expect(turns[1].intent == "policy.sharing")
  }

  @Test func whyExplainsThePreviousAnswer() throws {
    let turns = try ask(["Is my data encrypted?", "/why"])
    let why = turns[1]
    #expect(why.intent == "command.why")
    #expect(why.text.contains("Intent: \(turns[0].intent)"))
    #expect(why.text.contains("Chosen by:"))
    #expect(why.text.contains("Sources: "))
  }

  @Test func aRuleMatchIsExplainedWithItsPattern() throws {
    let turns = try ask(["hello", "/why"])
    #expect(turns[0].intent == "greeting")
    #expect(turns[1].text.contains("Chosen by: rule, pattern"))
  }

  @Test func helpListsTopicsAndCommands() throws {
    for message in ["/help", "help"] {
      let turn = try #require(try ask([message]).first)
      #expect(turn.intent == "help")
      #expect(turn.text.contains("/why"))
      #expect(turn.text.contains("your rights"))
    }
  }

  @Test func anOverlongMessageIsRefusedWithoutBeingRead() throws {
    let turns = try ask([String(repeating: "delete my data ", count: 20_000), "Do you sell personal information?"])
    #expect(turns[0].intent == "too_long")
    #expect(turns[0].text.contains("too long"))
    #expect(turns[1].intent == "policy.sharing")
  }

  @Test func anUnknownCommandListsTheKnownOnes() throws {
    let turn = try #require(try ask(["/frobnicate"]).first)
    #expect(turn.intent == "command.unknown")
    #expect(turn.text.contains("/help"))
  }

  @Test func anUnknownOrClosedSessionIsAnError() throws {
    #expect(throws: EngineError.unknownSession) { try engine.send("hi", to: "s-nope") }
    let session = try engine.openSession().sessionId
    try engine.closeSession(session)
    #expect(throws: EngineError.unknownSession) { try engine.send("hi", to: session) }
    #expect(throws: EngineError.unknownSession) { try engine.closeSession(session) }
  }

  @Test func theSameSeedAndClockGiveTheSameConversation() throws {
    func run() throws -> [Turn] {
      let engine = try TestEngine.make(seed: 7)
      let session = try engine.openSession().sessionId
      return try ["hi", "Where is my data stored?", "and who can see it?", "/why"].map {
        try engine.send($0, to: session)
      }
    }
    let first = try run()
    #expect(first == (try run()))
    #expect(first[0].sessionId != (try TestEngine.make(seed: 8).openSession().sessionId))
  }

  @Test func aTurnEncodesInTheShapeOfTheDesign() throws {
    let turn = try #require(try ask(["Do you use cookies?"]).first)
    let object = try #require(
      try JSONSerialization.jsonObject(with: JSONEncoder().encode(turn)) as? [String: Any])
    #expect(
      Set(object.keys).isSuperset(of: [
        "sessionId", "intent", "confidence", "replies", "sources", "automated", "events", "state",
      ]))
    #expect(object["automated"] as? Bool == true)
    let replies = try #require(object["replies"] as? [[String: Any]])
    #expect(replies.first?["text"] is String)
  }

  @Test func aBareYesOrNoIsAcknowledgedNotReadAsAFollowUp() throws {
    let turns = try ask(["How long do you keep my data?", "yes", "no"])
    #expect(turns[1].intent == "acknowledge" && turns[2].intent == "acknowledge")
    #expect(!turns[1].text.contains("retain"))
  }
}
