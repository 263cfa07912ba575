import Foundation
import PolicyChat
import Testing

/// A portability request taken in chat, from the request to the code, gives a JSON export
/// that docs/schemas/subject-export.schema.json describes exactly: it validates, and it stops
/// validating as soon as it is corrupted.
@Suite struct PortabilitySchemaTests {
  static let schemaURL = TestEngine.repositoryRoot.appendingPathComponent("docs/schemas/subject-export.schema.json")
  static let schemaIdentifier = "https://policychat.dev/schemas/subject-export-v1.json"

  private static func validator() throws -> JSONSchemaValidator {
    try JSONSchemaValidator(contentsOf: schemaURL)
  }

  /// A person in South Africa with chats kept makes an access request, a complaint (left
  /// open for the privacy officer) and then a portability request; the export's JSON.
  private static func exportFromChat() throws -> String {
    let engine = try TestEngine.make()
    let session = try engine.openSession(SessionOptions(country: "ZA")).sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: session)
    #expect(try engine.send("you can keep my chats", to: session).state.logging == true)
    _ = try engine.send("How long do you keep my data?", to: session)
    _ = try engine.send("Who do you share my data with?", to: session)

    let access = try verifiedRequest("send me a copy of my data", engine: engine, session: session)
    #expect(access.intent == "request.access_done")

    let complaint = try verifiedRequest(
      "I want to complain about my data being misused", engine: engine, session: session)
    #expect(complaint.text.contains("What would you like to complain about?"))
    let recorded = try engine.send("You kept my chats for longer than your policy says.", to: session)
    #expect(recorded.intent == "request.complaint_recorded")

    let portability = try verifiedRequest("give me my data in a portable format", engine: engine, session: session)
    #expect(portability.intent == "request.portability_done")
    return try #require(portability.events.first { $0.type == "request.export" }?.data["json"])
  }

  /// Asks for a request in chat, gives the address and returns the code sent to it.
  private static func askWithCode(_ message: String, engine: Engine, session: String) throws -> String {
    let asked = try engine.send(message, to: session)
    #expect(asked.text.contains("what is your e-mail address?"), "\(message) → \(asked.intent): \(asked.text)")
    let sent = try engine.send("thandi@example.org", to: session)
    return try #require(sent.events.first { $0.type == "verification.send" }?.data["code"])
  }

  /// Makes a request in chat and proves the address: the turn that answers the code.
  private static func verifiedRequest(_ message: String, engine: Engine, session: String) throws -> Turn {
    try engine.send(try askWithCode(message, engine: engine, session: session), to: session)
  }

  @Test func theSchemaIsADraft2020_12SchemaForTheExportsOwnIdentifier() throws {
    let schema = try Self.validator().root
    #expect(schema["$schema"] == .string("https://json-schema.org/draft/2020-12/schema"))
    #expect(schema["$id"] == .string(Self.schemaIdentifier))
    #expect(schema["properties"]?["schema"]?["const"] == .string(Self.schemaIdentifier))
    // The validator reports keywords it does not know, so an empty object shows only what
    // is missing.
    let errors = try Self.validator().validate(.object([:]))
    #expect(errors.count == 6 && errors.allSatisfy { $0.hasSuffix("is missing") }, "\(errors)")
  }

  @Test func theExportOfAPortabilityRequestInChatMatchesTheSchema() throws {
    let json = try Self.exportFromChat()
    let errors = try Self.validator().validate(json: json)
    #expect(errors == [], "\(errors.joined(separator: "\n"))\n\(json)")

    // What the chat put in it is there, so the check above saw each kind of record (but a
    // decision: see the fuller history below).
    let export = try JSONValue.parse(json)
    #expect(export["schema"] == .string(Self.schemaIdentifier))
    #expect(export["subject"]?["email"] == .string("thandi@example.org"))
    let sessions: [JSONValue] = export["sessions"]?.elements ?? []
    #expect(sessions.count == 1)
    let session = try #require(sessions.first)
    #expect(session["country"] == .string("ZA"))
    let speakers: Set<JSONValue> = Set(session["transcript"]?.elements?.compactMap { $0["speaker"] } ?? [])
    #expect(speakers == [.string("person"), .string("assistant")])
    #expect(session["consents"]?.elements?.first?["purpose"] == .string("session_logging"))
    #expect(session["turns"]?.elements?.isEmpty == false)
    let requests: [JSONValue] = export["requests"]?.elements ?? []
    let kinds: Set<String> = Set(requests.map { "\($0["type"]?.text ?? "?"):\($0["status"]?.text ?? "?")" })
    // The export is what was held when the portability request came, so not that request.
    #expect(kinds == ["access:completed", "complaint:open"])
    #expect(requests.allSatisfy { $0["regime"] == .string("popia") && $0["country"] == .string("ZA") })
    #expect(export["verifications"]?.elements?.count == 2)
  }

  /// Every optional field of the format, present: an earlier session on the same device,
  /// closed; a locale; a consent refused by a browser signal and the decision that says so; an
  /// expired code; a request extended and one rejected and told; times that differ. (An
  /// engine of its own, as the clock must move.)
  @Test func aFullerHistoryMatchesTheSchemaToo() throws {
    let clock = ManualClock(TestEngine.start)
    let engine = try Engine(
      configuration: EngineConfiguration(
        home: TestEngine.repositoryRoot, database: .inMemory, clock: clock, random: SeededRandomSource(seed: 7)))
    let earlier = try engine.openSession(SessionOptions(country: "ZA", locale: "en-ZA", deviceId: "phone-1")).sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: earlier)
    _ = try engine.send("you can keep my chats", to: earlier)
    _ = try engine.send("How long do you keep my data?", to: earlier)
    try engine.closeSession(earlier)
    clock.advance(by: 86_400)

    let session = try engine.openSession(
      SessionOptions(country: "ZA", deviceId: "phone-1", signals: BrowserSignals(gpc: true))
    ).sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: session)
    let refused = try engine.send("sign me up for marketing", to: session)
    #expect(refused.decision?.kind == "consent.refused_by_signal", "\(refused.intent): \(refused.text)")

    // A code typed too late: refused, with a decision; then the request again, in time.
    let late = try Self.askWithCode("send me a copy of my data", engine: engine, session: session)
    clock.advance(by: 11 * 60)
    #expect(try engine.send(late, to: session).decision?.kind == "verification.expired")
    #expect(
      try Self.verifiedRequest("send me a copy of my data", engine: engine, session: session).intent
        == "request.access_done")
    clock.advance(by: 60)

    _ = try Self.verifiedRequest("I want to complain about my data being misused", engine: engine, session: session)
    let complaint = try engine.send("You kept my chats for longer than your policy says.", to: session)
    let complaintReference = try #require(complaint.text.firstMatch(of: /RQ-[0-9A-Z]{6}/).map { String($0.output) })
    clock.advance(by: 60)
    _ = try Self.verifiedRequest("I want a human to look at this", engine: engine, session: session)
    let review = try engine.send("The answer about retention seemed wrong.", to: session)
    let reviewReference = try #require(review.text.firstMatch(of: /RQ-[0-9A-Z]{6}/).map { String($0.output) })

    clock.advance(by: 3_600)
    let extended = try engine.extendRequest(
      complaintReference, reason: "it needs the logs of two systems", by: "officer")
    #expect(extended.extendedAt != nil)
    _ = try engine.rejectRequest(reviewReference, reason: "there was no decision to review", by: "officer")
    clock.advance(by: 3_600)

    let portability = try Self.verifiedRequest("give me my data in a portable format", engine: engine, session: session)
    #expect(portability.intent == "request.portability_done", "\(portability.text)")
    let json = try #require(portability.events.first { $0.type == "request.export" }?.data["json"])
    let errors = try Self.validator().validate(json: json)
    #expect(errors == [], "\(errors.joined(separator: "\n"))\n\(json)")

    // Each optional field was there to be checked.
    let export = try JSONValue.parse(json)
    let sessions = export["sessions"]?.elements ?? []
    #expect(sessions.count == 2)
    #expect(sessions.contains { $0["closedAt"] != nil && $0["locale"] == .string("en-ZA") })
    #expect(sessions.contains { $0["decisions"]?.elements?.isEmpty == false })
    let consents = sessions.flatMap { $0["consents"]?.elements ?? [] }
    #expect(consents.contains { $0["expiresAt"] != nil } && consents.contains { $0["expiresAt"] == nil })
    let requests = export["requests"]?.elements ?? []
    #expect(requests.contains { $0["extendedAt"] != nil && $0["extensionReason"] != nil })
    #expect(requests.contains { $0["status"] == .string("rejected") && $0["notifiedAt"] != nil })
    #expect(requests.contains { $0["details"] != nil && $0["closedAt"] == nil })
  }

  @Test(arguments: [
    ("subject removed", "$: the required property 'subject' is missing"),
    ("a date made 'yesterday'", "$.exportedAt: \"yesterday\" is not an RFC 3339 date-time"),
    ("an unknown field", "$.subject: the property 'phone' is not allowed"),
    ("a count as a string", "$.sessions[0].turns[0].sequence: expected integer, found string"),
    ("an unknown request status", "$.requests[0].status: \"pending\" is not one of"),
    ("an unknown speaker", "$.sessions[0].transcript[0].speaker: \"bot\" is not one of"),
    ("a null for a left-out field", "$.requests[0].closedAt: expected string, found null"),
    ("another schema", "$.schema: expected \"https://policychat.dev/schemas/subject-export-v1.json\""),
  ])
  func aCorruptedExportFailsValidation(corruption: String, expected: String) throws {
    var export = try JSONValue.parse(Self.exportFromChat())
    #expect(try Self.validator().validate(export) == [])
    switch corruption {
    case "subject removed": export.remove("subject")
    case "a date made 'yesterday'": export.set("exportedAt", to: .string("yesterday"))
    case "an unknown field": export.set("subject", "phone", to: .string("082 555 1234"))
    case "a count as a string": export.set("sessions", 0, "turns", 0, "sequence", to: .string("1"))
    case "an unknown request status": export.set("requests", 0, "status", to: .string("pending"))
    case "an unknown speaker": export.set("sessions", 0, "transcript", 0, "speaker", to: .string("bot"))
    case "a null for a left-out field": export.set("requests", 0, "closedAt", to: .null)
    default: export.set("schema", to: .string("https://example.org/other.json"))
    }
    let errors = try Self.validator().validate(export)
    #expect(errors.count == 1 && errors.allSatisfy { $0.hasPrefix(expected) }, "\(errors)")
  }
}

/// The validator itself: it passes what it should and reports each kind of error with the
/// JSON path of the value.
@Suite struct JSONSchemaValidatorTests {
  private static let schema = """
    {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "properties": {
        "name": {"type": "string", "description": "ignored annotation"},
        "nickname": {"type": ["string", "null"]},
        "at": {"type": "string", "format": "date-time"},
        "count": {"type": "integer"},
        "ratio": {"type": "number"},
        "kind": {"enum": ["a", "b"]},
        "version": {"const": 1},
        "pets": {"type": "array", "items": {"$ref": "#/$defs/Pet"}}
      },
      "required": ["name", "at"],
      "additionalProperties": false,
      "$defs": {
        "Pet": {
          "type": "object",
          "properties": {"legs": {"type": "integer"}, "alive": {"type": "boolean"}},
          "required": ["legs"],
          "additionalProperties": false
        }
      }
    }
    """

  private static func errors(_ json: String) throws -> [String] {
    try JSONSchemaValidator(schema: JSONValue.parse(schema)).validate(json: json)
  }

  @Test func aValidDocumentHasNoErrors() throws {
    let json = """
      {"name": "Thandi", "nickname": null, "at": "2027-01-31T09:30:00Z", "count": 3, "ratio": 0.5, "kind": "b",
       "version": 1, "pets": [{"legs": 4, "alive": true}, {"legs": 2}]}
      """
    #expect(try Self.errors(json) == [])
    #expect(try Self.errors(#"{"name": "T", "nickname": "Tee", "at": "2028-02-29T23:59:59.250+02:00"}"#) == [])
  }

  @Test(arguments: [
    (#"{"at": "2027-01-31T09:30:00Z"}"#, "$: the required property 'name' is missing"),
    (#"{"name": 7, "at": "2027-01-31T09:30:00Z"}"#, "$.name: expected string, found integer"),
    (
      #"{"name": "T", "nickname": 1.5, "at": "2027-01-31T09:30:00Z"}"#,
      "$.nickname: expected string or null, found number"
    ),
    (#"{"name": "T", "at": "2027-01-31T09:30:00Z", "count": true}"#, "$.count: expected integer, found boolean"),
    (#"{"name": "T", "at": "2027-01-31T09:30:00Z", "count": 1.5}"#, "$.count: expected integer, found number"),
    (#"{"name": "T", "at": "2027-01-31T09:30:00Z", "colour": "red"}"#, "$: the property 'colour' is not allowed"),
    (#"{"name": "T", "at": "yesterday"}"#, "$.at: \"yesterday\" is not an RFC 3339 date-time"),
    (#"{"name": "T", "at": "2027-01-31"}"#, "$.at: \"2027-01-31\" is not an RFC 3339 date-time"),
    (#"{"name": "T", "at": "2027-01-31T09:30:00"}"#, "$.at: \"2027-01-31T09:30:00\" is not an RFC 3339 date-time"),
    (#"{"name": "T", "at": "2027-02-30T09:30:00Z"}"#, "$.at: \"2027-02-30T09:30:00Z\" is not an RFC 3339 date-time"),
    (#"{"name": "T", "at": "2027-02-29T09:30:00Z"}"#, "$.at: \"2027-02-29T09:30:00Z\" is not an RFC 3339 date-time"),
    (#"{"name": "T", "at": "2027-01-31T24:00:00Z"}"#, "$.at: \"2027-01-31T24:00:00Z\" is not an RFC 3339 date-time"),
    (#"{"name": "T", "at": "2027-01-31T09:30:00Z", "kind": "c"}"#, "$.kind: \"c\" is not one of \"a\", \"b\""),
    (#"{"name": "T", "at": "2027-01-31T09:30:00Z", "version": 2}"#, "$.version: expected 1, found 2"),
    (
      #"{"name": "T", "at": "2027-01-31T09:30:00Z", "pets": [{"legs": 4}, {}]}"#,
      "$.pets[1]: the required property 'legs' is missing"
    ),
    (
      #"{"name": "T", "at": "2027-01-31T09:30:00Z", "pets": [{"legs": 4, "wings": 2}]}"#,
      "$.pets[0]: the property 'wings' is not allowed"
    ),
    (#"{"name": "T", "at": "2027-01-31T09:30:00Z", "pets": {"legs": 4}}"#, "$.pets: expected array, found object"),
    ("[]", "$: expected object, found array"),
  ])
  func eachKindOfErrorIsReportedAtItsPath(json: String, expected: String) throws {
    #expect(try Self.errors(json) == [expected])
  }

  @Test func everyErrorOfADocumentIsReported() throws {
    let errors = try Self.errors(#"{"name": 1, "extra": true, "pets": [{"legs": "four"}]}"#)
    #expect(
      errors == [
        "$: the required property 'at' is missing",
        "$: the property 'extra' is not allowed",
        "$.name: expected string, found integer",
        "$.pets[0].legs: expected integer, found string",
      ])
  }

  @Test func aKeywordItCannotCheckOrARefItCannotFollowIsAnErrorNotAPass() throws {
    let unsupported = JSONSchemaValidator(schema: try JSONValue.parse(#"{"type": "string", "pattern": "^a"}"#))
    #expect(
      unsupported.validate(.string("b")) == ["$: the schema keyword 'pattern' is not supported by this validator"])
    let dangling = JSONSchemaValidator(schema: try JSONValue.parse(##"{"$ref": "#/$defs/Missing"}"##))
    #expect(dangling.validate(.string("b")) == ["$: $ref '#/$defs/Missing' does not resolve"])
  }
}

extension JSONValue {
  /// One step of a path into a document: a member's name or an element's index.
  fileprivate enum Step {
    case key(String)
    case index(Int)
  }

  /// Replaces the value at a path of names and indexes, for corrupting a document in tests.
  fileprivate mutating func set(_ path: Any..., to value: JSONValue) {
    let steps = path.compactMap { step -> Step? in
      if let key = step as? String { return .key(key) }
      if let index = step as? Int { return .index(index) }
      return nil
    }
    replace(steps[...], with: value)
  }

  fileprivate mutating func remove(_ key: String) {
    guard case .object(var members) = self else { return }
    members[key] = nil
    self = .object(members)
  }

  private mutating func replace(_ steps: ArraySlice<Step>, with value: JSONValue) {
    guard let step = steps.first else {
      self = value
      return
    }
    switch (step, self) {
    case (.key(let key), .object(var members)):
      var member = members[key] ?? .null
      member.replace(steps.dropFirst(), with: value)
      members[key] = member
      self = .object(members)
    case (.index(let index), .array(var elements)) where elements.indices.contains(index):
      elements[index].replace(steps.dropFirst(), with: value)
      self = .array(elements)
    default:
      Issue.record("no such path in the document")
    }
  }
}
