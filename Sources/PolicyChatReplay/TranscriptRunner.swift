import Foundation
import PolicyChat
import PolicyChatProtocol

/// Replays one transcript against a fresh engine: its own new database, its clock
/// fixed at the transcript's `now`, its randomness seeded with the transcript's `seed`.
/// Every session the transcript opens shares that engine (database, clock and randomness).
/// A `policy:` step replaces the engine with one over the revised policy that shares the
/// same database, clock and randomness, so that a returning device is recognised.
struct TranscriptRunner {
  let policy: PolicyData
  var database: any ReplayDatabase = InMemoryReplayDatabase()

  func run(_ transcript: Transcript) -> ReplayResult {
    let started = ContinuousClock.now
    var result = ReplayResult(file: transcript.file, name: transcript.name, failures: [], turns: 0, seconds: 0)
    let clock = ManualClock(transcript.now)
    var configuration = EngineConfiguration(
      home: policy.home, database: .inMemory, clock: clock, random: SeededRandomSource(seed: transcript.seed))
    // The runner's own store, so that the engine after a `policy:` step can share it.
    let store: any SessionStore
    do {
      (store, configuration.dataKeys) = try database.makeStore(for: transcript.file)
    } catch {
      result.failures.append(.init(line: nil, step: "setup", key: "database", detail: error.description))
      return finished(result, started)
    }
    defer { database.discard(store) }
    // The policy in force, and the engine and protocol server over it.
    var current = policy
    var engine = Engine(policy: current, configuration: configuration, store: store)
    var server = ProtocolServer(engine: engine, serverVersion: Engine.version)
    // Session ids by the names steps give in `in:`.
    var sessions: [String: String] = [:]
    // Sessions opened before a `policy:` step, with that step's line: they are the old engine's.
    var retired: [String: Int] = [:]
    // The most recent request reference seen in a reply, for `admin:` steps' `reference: last`.
    var lastReference: String?
    do {
      let opening = try engine.openSession(transcript.session)
      sessions[Transcript.mainSession] = opening.sessionId
      lastReference = Self.lastReference(in: [opening.text]) ?? lastReference
      if let expectations = transcript.opening {
        check(opening, against: expectations, step: "opening", into: &result)
      }
    } catch {
      result.failures.append(.init(line: nil, step: "opening", key: "session", detail: error.description))
      return finished(result, started)
    }
    for (number, step) in transcript.steps.enumerated() {
      // "user" for the main session, "user in parent" for another.
      func label(_ kind: String, _ what: String) -> String {
        let place = step.session == Transcript.mainSession ? kind : "\(kind) in \(step.session)"
        return "step \(number + 1) (\(place): \(what))"
      }
      // The session a `user` or `call` step goes to, or why it cannot.
      func session(_ label: String) -> String? {
        if let sessionId = sessions[step.session] { return sessionId }
        let detail =
          retired[step.session].map { change in
            "session '\(step.session)' was opened before the policy change at line \(change): it belongs to the "
              + "engine at the old version; open a new session after the change and send this step there"
          } ?? "no such session"
        result.failures.append(.init(line: step.line, step: label, key: "in", detail: detail))
        return nil
      }
      switch step.action {
      case .advance(let interval):
        clock.advance(by: interval)
      case .open(let name, let options):
        result.turns += 1
        let label = label("open", name)
        do {
          let opening = try engine.openSession(options)
          sessions[name] = opening.sessionId
          lastReference = Self.lastReference(in: [opening.text]) ?? lastReference
          check(opening, against: step.expectations, step: label, into: &result)
        } catch {
          // The steps that follow may need this session: stop, as when the main one fails.
          result.failures.append(.init(line: step.line, step: label, key: "open", detail: error.description))
          return finished(result, started)
        }
      case .user(let text):
        result.turns += 1
        let label = label("user", Self.quoted(text))
        guard let sessionId = session(label) else { continue }
        do {
          let turn = try engine.send(text, to: sessionId)
          lastReference = Self.lastReference(in: [turn.text]) ?? lastReference
          check(turn, against: step.expectations, step: label, into: &result)
        } catch {
          result.failures.append(.init(line: step.line, step: label, key: "user", detail: error.description))
        }
      case .call(let method, let params):
        result.turns += 1
        let label = label("call", method)
        guard let sessionId = session(label) else { continue }
        let response = call(server, method: method, params: params, sessionId: sessionId, number: number)
        lastReference = Self.lastReference(in: Self.replyTexts(response)) ?? lastReference
        checkCall(response, against: step.expectations, step: label, into: &result)
      case .admin(let action):
        let label = label("admin", "\(action.kind.rawValue) \(action.reference)")
        perform(action, on: engine, lastReference: lastReference, line: step.line, step: label, into: &result)
      case .policy(let revision):
        let label = "step \(number + 1) (policy: version \(current.knowledge.policy.version) → \(revision.version))"
        let versions = current.disclosure.versions.map(\.version)
        if versions.contains(revision.version) {
          result.failures.append(
            .init(
              line: step.line, step: label, key: "policy",
              detail: "version \(revision.version) is already a version of the policy "
                + "(\(versions.joined(separator: ", "))): a policy step needs a new one"))
          return finished(result, started)
        }
        do {
          current = try current.revised(
            version: revision.version, date: revision.date, summary: revision.summary, material: revision.material)
        } catch {
          // The steps that follow are written for the new version: stop.
          result.failures.append(.init(line: step.line, step: label, key: "policy", detail: error.description))
          return finished(result, started)
        }
        engine = Engine(policy: current, configuration: configuration, store: store)
        server = ProtocolServer(engine: engine, serverVersion: Engine.version)
        for name in sessions.keys { retired[name] = step.line }
        sessions = [:]
      }
    }
    return finished(result, started)
  }

  /// Runs the privacy officer's action; it fails the step when it is refused, or, with
  /// `error: true`, when it is not.
  private func perform(
    _ action: AdminAction, on engine: Engine, lastReference: String?, line: Int, step: String,
    into result: inout ReplayResult
  ) {
    var reference = action.reference
    if reference == AdminAction.lastReference {
      guard let lastReference else {
        result.failures.append(
          .init(
            line: line, step: step, key: "reference",
            detail: "'reference: last' but no reply so far has shown a request reference (RQ-...)"))
        return
      }
      reference = lastReference
    }
    let outcome: Result<RequestRecord, EngineError>
    do throws(EngineError) {
      outcome = .success(try Self.act(action, on: reference, engine: engine))
    } catch {
      outcome = .failure(error)
    }
    let which = reference == action.reference ? reference : "\(reference) (the last reference seen)"
    switch (outcome, action.expectsError) {
    case (.failure(let error), let expected) where expected?.value != true:
      result.failures.append(.init(line: line, step: step, key: "admin", detail: "\(which): \(error.description)"))
    case (.success(let request), let expected?) where expected.value:
      result.failures.append(
        .init(
          line: expected.line, step: step, key: "error",
          detail: "expected \(action.kind.rawValue) to be refused, but it was done: \(which) is \(request.status)"))
    default:
      break
    }
  }

  /// The engine call `policychat admin requests ...` makes for the action.
  private static func act(
    _ action: AdminAction, on reference: String, engine: Engine
  ) throws(EngineError) -> RequestRecord {
    switch action.kind {
    case .reject: try engine.rejectRequest(reference, reason: action.reason ?? "", by: action.officer)
    case .extend: try engine.extendRequest(reference, reason: action.reason ?? "", by: action.officer)
    case .complete: try engine.completeRequest(reference, note: action.note, by: action.officer)
    case .lift: try engine.liftRestriction(reference, by: action.officer)
    }
  }

  /// The last request reference (`RQ-` and six letters or digits) in these reply texts.
  static func lastReference(in texts: [String]) -> String? {
    texts.lazy.reversed().compactMap { text in text.matches(of: /RQ-[A-Z0-9]{6}/).last.map { String($0.output) } }
      .first
  }

  /// The reply texts of a call's result, when it is a turn.
  static func replyTexts(_ response: JSONValue) -> [String] {
    guard case .object(let fields) = response, case .object(let result)? = fields["result"],
      case .array(let replies)? = result["replies"]
    else { return [] }
    return replies.compactMap { reply in
      guard case .object(let reply) = reply, case .string(let text)? = reply["text"] else { return nil }
      return text
    }
  }

  private func finished(_ result: ReplayResult, _ started: ContinuousClock.Instant) -> ReplayResult {
    var result = result
    result.seconds = secondsSince(started)
    return result
  }

  static func quoted(_ text: String) -> String {
    let short = text.count > 50 ? String(text.prefix(47)) + "..." : text
    return "\"" + short + "\""
  }

  /// Calls a protocol method in process, as a front end would over stdio.
  private func call(
    _ server: ProtocolServer, method: String, params: JSONValue?, sessionId: String, number: Int
  ) -> JSONValue {
    var fields: [String: JSONValue] = [:]
    if case .object(let given)? = params { fields = given }
    if fields["sessionId"] == nil { fields["sessionId"] = .string(sessionId) }
    let request: JSONValue = .object([
      "jsonrpc": .string("2.0"), "id": .integer(number + 1), "method": .string(method), "params": .object(fields),
    ])
    guard let line = try? JSONEncoder().encode(request),
      let response = server.handle(line: Array(line)),
      let value = try? JSONDecoder().decode(JSONValue.self, from: Data(response.utf8))
    else { return .null }
    return value
  }

  private func check(_ turn: Turn, against expected: Expectations, step: String, into result: inout ReplayResult) {
    let text = turn.text
    func fail(_ line: Int, _ key: String, _ detail: String, update: ReplayResult.UpdateValue?) {
      result.failures.append(.init(line: line, step: step, key: key, detail: detail))
      if let update { result.updates.append(.init(line: line, key: key, value: update)) }
    }
    let firstLine = text.split(separator: "\n").first.map(String.init) ?? text
    if let bot = expected.bot, bot.value != text {
      fail(bot.line, "bot", LineDiff.unified(expected: bot.value, actual: text), update: .text(text))
    }
    if let contains = expected.botContains {
      let missing = contains.value.filter { !text.contains($0) }
      if !missing.isEmpty {
        fail(
          contains.line, "bot_contains",
          "missing: \(missing.map(Self.quoted).joined(separator: ", "))\nactual reply:\n\(Self.indented(text))",
          update: .texts([firstLine]))
      }
    }
    if let pattern = expected.botMatches,
      let regex = try? NSRegularExpression(pattern: pattern.value),
      regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil
    {
      fail(
        pattern.line, "bot_matches", "no match for /\(pattern.value)/\nactual reply:\n\(Self.indented(text))",
        update: .text(NSRegularExpression.escapedPattern(for: firstLine)))
    }
    if let any = expected.botAny, !any.value.contains(where: text.contains) {
      fail(
        any.line, "bot_any",
        "none of: \(any.value.map(Self.quoted).joined(separator: ", "))\nactual reply:\n\(Self.indented(text))",
        update: .texts([firstLine]))
    }
    if let forbidden = expected.botNotContains {
      let present = forbidden.value.filter(text.contains)
      if !present.isEmpty {
        fail(
          forbidden.line, "bot_not_contains", "present: \(present.map(Self.quoted).joined(separator: ", "))",
          update: .texts(forbidden.value.filter { !text.contains($0) }))
      }
    }
    if let intent = expected.intent, intent.value != turn.intent {
      fail(intent.line, "intent", "expected \(intent.value)\n  actual \(turn.intent)", update: .text(turn.intent))
    }
    let sourceIds = turn.sources.map(\.id)
    if let sources = expected.sources, sources.value != sourceIds {
      fail(
        sources.line, "sources", "expected \(sources.value)\n  actual \(sourceIds)", update: .texts(sourceIds))
    }
    let json = Self.json(turn)
    let decision: JSONValue = json["decision"] ?? .null
    if let expectedDecision = expected.decision, !PartialMatch.matches(expectedDecision.value, decision) {
      fail(
        expectedDecision.line, "decision", Self.jsonDiff(expectedDecision.value, decision), update: .json(decision))
    }
    var events: [JSONValue] = []
    if case .array(let items)? = json["events"] { events = items }
    if let expectedEvents = expected.events, !PartialMatch.eachMatchesOne(expectedEvents.value, in: events) {
      fail(
        expectedEvents.line, "events", Self.jsonDiff(.array(expectedEvents.value), .array(events)),
        update: .json(.array(events)))
    }
    let state: JSONValue = json["state"] ?? .object([:])
    if let expectedState = expected.state, !PartialMatch.matches(expectedState.value, state) {
      fail(
        expectedState.line, "state", Self.jsonDiff(expectedState.value, state),
        update: .json(PartialMatch.project(state, onto: expectedState.value)))
    }
  }

  private func checkCall(
    _ response: JSONValue, against expected: Expectations, step: String, into result: inout ReplayResult
  ) {
    guard case .object(let fields) = response else {
      result.failures.append(.init(line: nil, step: step, key: "call", detail: "no response"))
      return
    }
    if let wanted = expected.result {
      let actual = fields["result"] ?? .null
      if !PartialMatch.matches(wanted.value, actual) {
        let detail =
          fields["error"].map { "the call failed: \(Self.render($0))" } ?? Self.jsonDiff(wanted.value, actual)
        result.failures.append(.init(line: wanted.line, step: step, key: "result", detail: detail))
        result.updates.append(
          .init(line: wanted.line, key: "result", value: .json(PartialMatch.project(actual, onto: wanted.value))))
      }
    }
    if let wanted = expected.error {
      let actual = fields["error"] ?? .null
      if !PartialMatch.matches(wanted.value, actual) {
        result.failures.append(
          .init(line: wanted.line, step: step, key: "error", detail: Self.jsonDiff(wanted.value, actual)))
        result.updates.append(
          .init(line: wanted.line, key: "error", value: .json(PartialMatch.project(actual, onto: wanted.value))))
      }
    }
  }

  static func json(_ turn: Turn) -> [String: JSONValue] {
    guard let data = try? JSONEncoder().encode(turn),
      case .object(let fields)? = try? JSONDecoder().decode(JSONValue.self, from: data)
    else { return [:] }
    return fields
  }

  static func render(_ value: JSONValue) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
  }

  static func jsonDiff(_ expected: JSONValue, _ actual: JSONValue) -> String {
    LineDiff.unified(expected: render(expected), actual: render(actual))
  }

  static func indented(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
  }
}
