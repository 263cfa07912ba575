import Foundation
import Testing

@testable import PolicyChat

/// What each right does is chosen by the `types:` of knowledge/requests.yaml: a known
/// fulfilment per type, `automatic` only where the engine can carry it out, and
/// `fulfilment: officer` leaving even an automatic right to the privacy officer.
@Suite struct RightFulfilmentTests {
  private let clock = ManualClock(TestEngine.start)

  /// A copy of the repository's knowledge/ and intents/ in a temporary folder.
  private func copyOfHome() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-rights-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for name in ["knowledge", "intents"] {
      try FileManager.default.copyItem(
        at: TestEngine.repositoryRoot.appendingPathComponent(name), to: folder.appendingPathComponent(name))
    }
    return folder
  }

  private func edit(_ home: URL, _ path: String, _ change: (String) -> String) throws {
    let url = home.appendingPathComponent(path)
    try change(try String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: true, encoding: .utf8)
  }

  private func loadError(_ home: URL) -> EngineError? {
    do {
      _ = try PolicyData.load(home: home)
      return nil
    } catch {
      return error
    }
  }

  /// The line of `types:` entry `type` in a copy's requests.yaml, counted from 1.
  private func line(of type: String, in home: URL) throws -> Int {
    let text = try String(contentsOf: home.appendingPathComponent("knowledge/requests.yaml"), encoding: .utf8)
    let lines = text.components(separatedBy: "\n")
    return try #require(lines.firstIndex { $0.hasPrefix("  \(type):") }) + 1
  }

  /// Through the age screen, the address and the code: the turn after the code.
  private func verifiedRequest(_ type: String, engine: Engine) throws -> Turn {
    let id = try engine.openSession(SessionOptions(country: "ZA")).sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: id)
    _ = try engine.perform(.startRequest(type: type), in: id)
    let sent = try engine.perform(.requestAnswer(field: "email", value: "thandi@example.org"), in: id)
    let code = try #require(sent.events.first { $0.type == "verification.send" }?.data["code"])
    return try engine.perform(.requestAnswer(field: "code", value: code), in: id)
  }

  private func reference(_ turn: Turn) throws -> String {
    let range = try #require(turn.text.range(of: #"RQ-[A-Z0-9]{6}"#, options: .regularExpression))
    return String(turn.text[range])
  }

  @Test func everyRightOfTheShippedFileHasItsFulfilmentAsTheFileChoseIt() throws {
    let requests = TestEngine.shared.requestSettings
    for (type, entry) in requests.types {
      let right = try #require(requests.right(type))
      #expect(right.fulfilment.type == type)
      #expect(right.automatic == (entry.fulfilment == "automatic"), "\(type)")
    }
    #expect(requests.right("access")?.automatic == true && requests.right("complaint")?.automatic == false)
  }

  @Test func officerFulfilmentOfARightThatCouldBeAutomaticQueuesItForTheOfficer() throws {
    let home = try copyOfHome()
    defer { try? FileManager.default.removeItem(at: home) }
    try edit(home, "knowledge/requests.yaml") { text in
      text.replacingOccurrences(
        of: "PolicyChat holds about you\", fulfilment: automatic}",
        with: "PolicyChat holds about you\", fulfilment: officer}")
    }
    let engine = try Engine(
      configuration: EngineConfiguration(home: home, clock: clock, random: SeededRandomSource(seed: 5)))
    #expect(engine.requestSettings.right("access")?.automatic == false)

    let done = try verifiedRequest("access", engine: engine)
    #expect(done.intent == "request.passed_on", "\(done.text)")
    #expect(!done.text.contains("PolicyChat holds:"))
    let record = try #require(try engine.request(try reference(done)))
    #expect(record.type == "access" && record.status == "open" && record.outcome == nil && record.closedAt == nil)
    #expect(try engine.requests(RequestFilter()).contains { $0.reference == record.reference })
    #expect(!(try engine.auditLog(reference: record.reference)).contains { $0.action == "completed" })
  }

  @Test func officerFulfilmentOfAnErasureDeletesNothingUntilTheOfficerDoes() throws {
    let home = try copyOfHome()
    defer { try? FileManager.default.removeItem(at: home) }
    try edit(home, "knowledge/requests.yaml") { text in
      text.replacingOccurrences(
        of: "keeping only a record that it was done\", fulfilment: automatic}",
        with: "keeping only a record that it was done\", fulfilment: officer}")
    }
    let engine = try Engine(
      configuration: EngineConfiguration(home: home, clock: clock, random: SeededRandomSource(seed: 6)))
    let id = try engine.openSession(SessionOptions(country: "ZA")).sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: id)
    _ = try engine.perform(.startRequest(type: "erasure"), in: id)
    let sent = try engine.perform(.requestAnswer(field: "email", value: "thandi@example.org"), in: id)
    let code = try #require(sent.events.first { $0.type == "verification.send" }?.data["code"])
    let confirm = try engine.perform(.requestAnswer(field: "code", value: code), in: id)
    #expect(confirm.intent == "request.confirm_erasure")
    let done = try engine.perform(.requestAnswer(field: "confirm", value: "true"), in: id)
    #expect(done.intent == "request.passed_on", "\(done.text)")
    #expect(!done.events.contains { $0.type == "transcript.deleted" })
    #expect(try engine.request(try reference(done))?.status == "open")
    #expect(try engine.exportSubject("thandi@example.org", by: "test")?.subject.email == "thandi@example.org")
  }

  @Test func aTypeWithNoKnownFulfilmentIsRefusedWithItsFileAndLine() throws {
    let home = try copyOfHome()
    defer { try? FileManager.default.removeItem(at: home) }
    try edit(home, "knowledge/requests.yaml") { text in
      text + "  teleportation: {title: \"teleportation\", does: \"move you\", fulfilment: officer}\n"
    }
    let error = try #require(loadError(home))
    #expect(error.code == "invalid_data")
    #expect(
      error.description.hasPrefix("knowledge/requests.yaml:\(try line(of: "teleportation", in: home)): "),
      "\(error.description)")
    #expect(error.description.contains("no fulfilment is known for 'teleportation'"))
  }

  @Test func automaticForARightWithNoAutomaticFulfilmentIsRefusedWithItsLine() throws {
    let home = try copyOfHome()
    defer { try? FileManager.default.removeItem(at: home) }
    try edit(home, "knowledge/requests.yaml") { text in
      text.replacingOccurrences(
        of: "tell you where else to complain\", fulfilment: officer}",
        with: "tell you where else to complain\", fulfilment: automatic}")
    }
    let error = try #require(loadError(home))
    #expect(
      error.description
        == "knowledge/requests.yaml:\(try line(of: "complaint", in: home)): types: 'complaint' has no automatic fulfilment; its fulfilment must be officer"
    )
  }

  @Test func aFulfilmentThatIsNeitherAutomaticNorOfficerIsRefused() throws {
    let home = try copyOfHome()
    defer { try? FileManager.default.removeItem(at: home) }
    try edit(home, "knowledge/requests.yaml") { text in
      text.replacingOccurrences(
        of: "a ticket for a person to review what I said or decided\", fulfilment: officer}",
        with: "a ticket for a person to review what I said or decided\", fulfilment: robot}")
    }
    let error = try #require(loadError(home))
    #expect(error.description.hasPrefix("knowledge/requests.yaml:\(try line(of: "human_review", in: home)): "))
    #expect(error.description.contains("must be automatic or officer, not 'robot'"))
  }

  /// docs/REQUESTS.md "How to add a right", followed once: the fulfilment below, one
  /// `types:` entry, the intent that asks for it and the reply that says it is done.
  @Test func aRightAddedByTheRecipeIsVerifiedRecordedAndCarriedOut() throws {
    let home = try copyOfHome()
    defer { try? FileManager.default.removeItem(at: home) }
    try edit(home, "knowledge/requests.yaml") { text in
      text
        + "  sources: {title: \"sources\", does: \"tell you where the data PolicyChat holds about you came from\", fulfilment: automatic}\n"
    }
    try edit(home, "intents/requests.yaml") { text in
      text + """

          - id: request.sources
            collects: true
            examples: [where did you get my data from, what are the sources of my data]
            requires: request
            patterns:
              - '\\bwhere (did|do) you get my (data|information)\\b'
            reply: "To tell you, I first need to check it's you: what is your e-mail address?"

        """
    }
    try edit(home, "intents/request-flow.yaml") { text in
      text + """

          - id: request.sources_done
            reply: "Your sources request is {reference}, done: everything PolicyChat holds about you ({sessions}) came from you, in the chat."

        """
    }
    let policy = try PolicyData.load(home: home, rights: RightRegistry.standard.adding([SourcesRight()]))
    let engine = try Engine(
      policy: policy,
      configuration: EngineConfiguration(home: home, clock: clock, random: SeededRandomSource(seed: 8)))

    let done = try verifiedRequest("sources", engine: engine)
    #expect(done.intent == "request.sources_done", "\(done.text)")
    #expect(done.text.contains("(1 conversation) came from you"), "\(done.text)")
    let record = try #require(try engine.request(try reference(done)))
    #expect(record.type == "sources" && record.status == "completed")
    #expect(record.outcome == "the sources of the data held were given in the chat")

    // Without its fulfilment, the same files do not load.
    let error = try #require(loadError(home))
    #expect(error.description.contains("no fulfilment is known for 'sources'"))
  }
}

/// The right the recipe added: where the data held came from (GDPR Art 15(1)(g)).
private struct SourcesRight: RightFulfilment {
  let type = "sources"
  let canFulfilAutomatically = true
  let readsWhatIsHeld = true

  func carryOut(_ request: RightRequest, state: inout SessionState, engine: Engine) throws(EngineError)
    -> RightOutcome
  {
    RightOutcome(
      intent: "request.sources_done",
      values: ["sessions": HeldSummary.count(request.held?.sessions.count ?? 0, "conversation")],
      outcome: "the sources of the data held were given in the chat")
  }
}
