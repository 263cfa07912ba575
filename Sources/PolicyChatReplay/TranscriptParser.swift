import Foundation
import PolicyChat
import PolicyChatProtocol
import Yams

/// Reads a YAML transcript, checking every key, with the line of each mistake.
package enum TranscriptParser {
  static let headerKeys: Set = ["name", "description", "session", "now", "seed", "opening", "steps"]
  static let expectationKeys: Set = [
    "bot", "bot_contains", "bot_matches", "bot_any", "bot_not_contains", "intent", "sources", "decision", "events",
    "state",
  ]
  static let callKeys: Set = ["call", "params", "result", "error"]
  static let sessionKeys: Set = ["country", "locale", "deviceId", "signals"]
  static let adminKeys: Set = ["admin", "reference", "reason", "note", "officer", "error"]
  static let policyKeys: Set = ["version", "date", "summary", "material"]

  /// Throws ``TranscriptError``.
  package static func parse(_ text: String, file: String) throws -> Transcript {
    let root: Node
    do {
      guard let node = try Yams.compose(yaml: text, .default, .default, .utf8) else {
        throw TranscriptError(file: file, line: nil, reason: "the file is empty")
      }
      root = node
    } catch let error as TranscriptError {
      throw error
    } catch let error as YamlError {
      throw yamlError(error, file: file)
    } catch {
      throw TranscriptError(file: file, line: nil, reason: "unreadable: \(error)")
    }
    let reader = Reader(file: file)
    let header = try reader.mapping(root, what: "a transcript")
    try reader.checkKeys(header, allowed: headerKeys, what: "transcript")
    guard let name = try header["name"].map({ node in try reader.string(node, key: "name") })
    else { throw TranscriptError(file: file, line: 1, reason: "missing 'name'") }
    var transcript = Transcript(
      file: file, name: name, description: try header["description"].map { try reader.string($0, key: "description") },
      session: try header["session"].map { try reader.session($0) } ?? SessionOptions(),
      now: try header["now"].map { try reader.date($0) } ?? Transcript.defaultNow,
      seed: try header["seed"].map { try reader.seed($0) } ?? Transcript.defaultSeed,
      opening: nil, steps: [])
    if let opening = header["opening"] {
      let fields = try reader.mapping(opening, what: "'opening'")
      try reader.checkKeys(fields, allowed: expectationKeys, what: "opening")
      transcript.opening = try reader.expectations(fields)
    }
    guard let stepsNode = header["steps"] else {
      throw TranscriptError(file: file, line: root.mark?.line, reason: "missing 'steps'")
    }
    guard let steps = stepsNode.sequence else {
      throw TranscriptError(file: file, line: stepsNode.mark?.line, reason: "'steps' must be a list")
    }
    // The sessions open so far, by name: a step may only go to one opened above it, and
    // after the last `policy:` step above it.
    var sessions: Set = [Transcript.mainSession]
    // The sessions opened before a `policy:` step, with its line: they are the old engine's.
    var retired: [String: Int] = [:]
    for node in steps {
      let step = try reader.step(node, sessions: sessions, retired: retired)
      switch step.action {
      case .open(let name, _):
        sessions.insert(name)
      case .policy:
        for name in sessions { retired[name] = step.line }
        sessions = []
      default:
        break
      }
      transcript.steps.append(step)
    }
    return transcript
  }

  private static func yamlError(_ error: YamlError, file: String) -> TranscriptError {
    switch error {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
      .composer(_, let problem, let mark, _):
      return TranscriptError(file: file, line: mark.line, reason: "broken YAML: \(problem)")
    default:
      return TranscriptError(file: file, line: nil, reason: "broken YAML: \(error)")
    }
  }
}

/// Typed access to YAML nodes, with errors that name the file and line.
private struct Reader {
  let file: String

  func fail(_ node: Node?, _ reason: String) -> TranscriptError {
    TranscriptError(file: file, line: node?.mark?.line, reason: reason)
  }

  /// The mapping's entries by key, in order; duplicate keys are an error.
  func mapping(_ node: Node, what: String) throws -> Fields {
    guard let mapping = node.mapping else { throw fail(node, "\(what) must be a mapping of keys to values") }
    var fields = Fields(node: node)
    for (key, value) in mapping {
      guard let name = key.string else { throw fail(key, "keys must be plain words") }
      if fields[name] != nil { throw fail(key, "'\(name)' appears twice") }
      fields.entries.append((name, key, value))
    }
    return fields
  }

  func checkKeys(_ fields: Fields, allowed: Set<String>, what: String) throws {
    for (name, key, _) in fields.entries where !allowed.contains(name) {
      throw fail(key, "unknown key '\(name)' in \(what) (expected one of: \(allowed.sorted().joined(separator: ", ")))")
    }
  }

  func string(_ node: Node, key: String) throws -> String {
    guard let scalar = node.scalar else { throw fail(node, "'\(key)' must be text") }
    return scalar.string
  }

  func strings(_ node: Node, key: String) throws -> [String] {
    if node.scalar != nil { return [try string(node, key: key)] }
    guard let sequence = node.sequence else { throw fail(node, "'\(key)' must be text or a list of texts") }
    return try sequence.map { item in try string(item, key: key) }
  }

  func date(_ node: Node) throws -> Date {
    let text = try string(node, key: "now")
    guard let date = ISO8601DateFormatter().date(from: text) else {
      throw fail(node, "'now' must be an ISO 8601 time such as 2026-11-29T09:00:00Z")
    }
    return date
  }

  func seed(_ node: Node) throws -> UInt64 {
    guard let text = node.scalar?.string, let seed = UInt64(text) else {
      throw fail(node, "'seed' must be a whole number from 0")
    }
    return seed
  }

  func session(_ node: Node) throws -> SessionOptions {
    let fields = try mapping(node, what: "'session'")
    try checkKeys(fields, allowed: TranscriptParser.sessionKeys, what: "session")
    return try sessionOptions(fields)
  }

  /// The session options among `fields` (keys already checked).
  func sessionOptions(_ fields: Fields) throws -> SessionOptions {
    var options = SessionOptions(
      country: try fields["country"].map { try string($0, key: "country") },
      locale: try fields["locale"].map { try string($0, key: "locale") },
      deviceId: try fields["deviceId"].map { try string($0, key: "deviceId") })
    if let signalsNode = fields["signals"] {
      let signals = try mapping(signalsNode, what: "'signals'")
      try checkKeys(signals, allowed: ["dnt", "gpc"], what: "signals")
      options.signals = BrowserSignals(
        dnt: try signals["dnt"].map { try bool($0, key: "dnt") },
        gpc: try signals["gpc"].map { try bool($0, key: "gpc") })
    }
    return options
  }

  func bool(_ node: Node, key: String) throws -> Bool {
    guard let value = node.bool else { throw fail(node, "'\(key)' must be true or false") }
    return value
  }

  /// One step; `sessions` are the names of the sessions open before it, `retired` those
  /// opened before a `policy:` step above it, with the line of that step.
  func step(_ node: Node, sessions: Set<String>, retired: [String: Int]) throws -> Step {
    let fields = try mapping(node, what: "a step")
    let line = node.mark?.line ?? 0
    if let user = fields["user"] {
      try checkKeys(fields, allowed: TranscriptParser.expectationKeys.union(["user", "in"]), what: "a user step")
      let expectations = try self.expectations(fields)
      if expectations.isEmpty {
        throw fail(node, "the step has nothing to check: add bot, bot_contains, intent, ... (docs/TRANSCRIPTS.md)")
      }
      return Step(
        line: line, action: .user(try string(user, key: "user")), expectations: expectations,
        session: try target(fields, sessions: sessions, retired: retired))
    }
    if let call = fields["call"] {
      try checkKeys(fields, allowed: TranscriptParser.callKeys.union(["in"]), what: "a call step")
      var expectations = Expectations()
      expectations.result = try fields.entry("result").map { (key, value) throws in
        Located(value: try json(value), line: key.mark?.line ?? line)
      }
      expectations.error = try fields.entry("error").map { (key, value) throws in
        Located(value: try json(value), line: key.mark?.line ?? line)
      }
      if expectations.isEmpty {
        throw fail(node, "the step has nothing to check: add result or error")
      }
      if expectations.result != nil && expectations.error != nil {
        throw fail(node, "a call step expects a result or an error, not both")
      }
      return Step(
        line: line,
        action: .call(method: try string(call, key: "call"), params: try fields["params"].map { try json($0) }),
        expectations: expectations, session: try target(fields, sessions: sessions, retired: retired))
    }
    if let advance = fields["advance"] {
      try checkKeys(fields, allowed: ["advance"], what: "an advance step")
      return Step(line: line, action: .advance(try duration(advance)), expectations: Expectations())
    }
    if let open = fields["open"] {
      try checkKeys(fields, allowed: TranscriptParser.expectationKeys.union(["open"]), what: "an open step")
      let (name, options) = try openedSession(open)
      if name == Transcript.mainSession {
        throw fail(open, "'\(name)' is the session that 'session:' opens: give this one another name")
      }
      if sessions.contains(name) { throw fail(open, "a session named '\(name)' is already open") }
      if let change = retired[name] {
        throw fail(
          open,
          "a session named '\(name)' was opened before the policy change at line \(change): give this one another name")
      }
      return Step(line: line, action: .open(name: name, options: options), expectations: try expectations(fields))
    }
    if let admin = fields["admin"] {
      try checkKeys(fields, allowed: TranscriptParser.adminKeys, what: "an admin step")
      return Step(
        line: line, action: .admin(try adminAction(admin, fields: fields, step: node)), expectations: Expectations())
    }
    if let policy = fields["policy"] {
      try checkKeys(fields, allowed: ["policy"], what: "a policy step")
      return Step(line: line, action: .policy(try policyRevision(policy)), expectations: Expectations())
    }
    throw fail(node, "a step needs one of: user, call, advance, open, admin, policy")
  }

  /// What a `policy:` step says: the new version, its date, what changed, and whether the
  /// change is material. Every key is required.
  func policyRevision(_ node: Node) throws -> PolicyRevision {
    guard node.mapping != nil else {
      throw fail(
        node, "'policy' must be a mapping such as {version: \"2\", date: \"2027-03-01\", summary: ..., material: true}")
    }
    let fields = try mapping(node, what: "'policy'")
    try checkKeys(fields, allowed: TranscriptParser.policyKeys, what: "policy")
    func required(_ key: String, _ what: String) throws -> Node {
      guard let value = fields[key] else { throw fail(node, "'policy' needs a '\(key)': \(what)") }
      return value
    }
    func text(_ key: String, _ what: String) throws -> String {
      let value = try required(key, what)
      let text = try string(value, key: key).trimmingCharacters(in: .whitespaces)
      guard !text.isEmpty else { throw fail(value, "'\(key)' must not be empty: \(what)") }
      return text
    }
    let version = try text("version", "the new version, such as \"2\"")
    let dateNode = try required("date", "the day it takes effect, such as 2027-03-01")
    let date = try policyDate(dateNode)
    let summary = try text("summary", "what changed, as a returning person is told it")
    let materialNode = try required("material", "true when consents given before it must be given again")
    guard let material = materialNode.bool else {
      throw fail(materialNode, "'material' must be true or false: whether consents must be given again")
    }
    return PolicyRevision(version: version, date: date, summary: summary, material: material)
  }

  /// A day, as the policy writes its dates: `2027-03-01`.
  func policyDate(_ node: Node) throws -> String {
    let text = try string(node, key: "date").trimmingCharacters(in: .whitespaces)
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd"
    formatter.isLenient = false
    guard let day = formatter.date(from: text), formatter.string(from: day) == text else {
      throw fail(node, "'date' must be a day such as 2027-03-01")
    }
    return text
  }

  /// What an `admin:` step does (keys already checked): which action, on which request,
  /// with its reason or note, by whom, and whether it must be refused.
  func adminAction(_ node: Node, fields: Fields, step: Node) throws -> AdminAction {
    let kinds = AdminAction.Kind.allCases.map(\.rawValue)
    let word = try string(node, key: "admin").trimmingCharacters(in: .whitespaces)
    guard let kind = AdminAction.Kind(rawValue: word) else {
      throw fail(node, "'admin' must be one of: \(kinds.joined(separator: ", ")) (not '\(word)')")
    }
    guard let referenceNode = fields["reference"] else {
      throw fail(step, "an admin step needs a 'reference': RQ-... or last")
    }
    let reference = try string(referenceNode, key: "reference").trimmingCharacters(in: .whitespaces)
    guard !reference.isEmpty else { throw fail(referenceNode, "'reference' must be RQ-... or last") }
    var action = AdminAction(kind: kind, reference: reference)
    switch (kind, fields.entry("reason")) {
    case (.reject, let entry?), (.extend, let entry?):
      action.reason = try string(entry.1, key: "reason")
    case (.reject, nil), (.extend, nil):
      throw fail(step, "'admin: \(word)' needs a 'reason': the person is told it")
    case (_, let entry?):
      throw fail(entry.0, "'reason' is for 'admin: reject' and 'admin: extend' (complete takes 'note')")
    case (_, nil):
      break
    }
    if let (key, value) = fields.entry("note") {
      guard kind == .complete else { throw fail(key, "'note' is for 'admin: complete' only") }
      action.note = try string(value, key: "note")
    }
    if let officer = fields["officer"] {
      action.officer = try string(officer, key: "officer").trimmingCharacters(in: .whitespaces)
      if action.officer.isEmpty { throw fail(officer, "'officer' must name who acts, such as nomsa") }
    }
    if let (key, value) = fields.entry("error") {
      guard let flag = value.bool else {
        throw fail(value, "'error' in an admin step must be true or false: whether the action must be refused")
      }
      action.expectsError = Located(value: flag, line: key.mark?.line ?? 0)
    }
    return action
  }

  /// What `open:` says: a name alone, or a name with the options `session:` takes.
  func openedSession(_ node: Node) throws -> (name: String, options: SessionOptions) {
    if node.scalar != nil { return (try sessionName(node, key: "open"), SessionOptions()) }
    guard node.mapping != nil else {
      throw fail(node, "'open' must be a session name, or a mapping such as {name: parent, country: ZA}")
    }
    let fields = try mapping(node, what: "'open'")
    try checkKeys(fields, allowed: TranscriptParser.sessionKeys.union(["name"]), what: "open")
    guard let name = fields["name"] else { throw fail(node, "'open' needs a name, such as {name: parent}") }
    return (try sessionName(name, key: "name"), try sessionOptions(fields))
  }

  func sessionName(_ node: Node, key: String) throws -> String {
    let name = try string(node, key: key).trimmingCharacters(in: .whitespaces)
    guard !name.isEmpty else { throw fail(node, "'\(key)' must name a session, such as parent") }
    return name
  }

  /// The session a step goes to: its `in:`, which must name a session opened above it (and
  /// after any `policy:` step above it).
  func target(_ fields: Fields, sessions: Set<String>, retired: [String: Int]) throws -> String {
    guard let (key, value) = fields.entry("in") else {
      if let change = retired[Transcript.mainSession] {
        throw fail(
          fields.node,
          "this step goes to 'main' (it has no 'in:'), which was opened before the policy change at line \(change): "
            + Self.openANewSession)
      }
      return Transcript.mainSession
    }
    let name = try sessionName(value, key: "in")
    if let change = retired[name] {
      throw fail(
        key, "session '\(name)' was opened before the policy change at line \(change): \(Self.openANewSession)")
    }
    guard sessions.contains(name) else {
      let open = sessions.isEmpty ? "none since the policy change" : sessions.sorted().joined(separator: ", ")
      throw fail(
        key, "no session named '\(name)' is open at this step: open it above with '- open: \(name)' (open: \(open))")
    }
    return name
  }

  /// What to do with a step that names a session from before a policy change.
  static let openANewSession =
    "it belongs to the engine at the old version; open a new session after the change ('- open: NAME') "
    + "and send this step there ('in: NAME')"

  /// "90s", "15m", "2h", "30d" (or a number of seconds).
  func duration(_ node: Node) throws -> TimeInterval {
    let text = try string(node, key: "advance").trimmingCharacters(in: .whitespaces)
    let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
    if let unit = text.last, let factor = units[unit], let amount = Double(text.dropLast()), amount >= 0 {
      return amount * factor
    }
    if let seconds = Double(text), seconds >= 0 { return seconds }
    throw fail(node, "'advance' must be a duration such as 90s, 15m, 2h or 30d")
  }

  func expectations(_ fields: Fields) throws -> Expectations {
    var result = Expectations()
    for (name, key, value) in fields.entries {
      let line = key.mark?.line ?? 0
      switch name {
      case "bot": result.bot = Located(value: try string(value, key: name), line: line)
      case "bot_contains": result.botContains = Located(value: try strings(value, key: name), line: line)
      case "bot_matches":
        let pattern = try string(value, key: name)
        guard (try? NSRegularExpression(pattern: pattern)) != nil else {
          throw fail(value, "'bot_matches' is not a valid regular expression")
        }
        result.botMatches = Located(value: pattern, line: line)
      case "bot_any": result.botAny = Located(value: try strings(value, key: name), line: line)
      case "bot_not_contains": result.botNotContains = Located(value: try strings(value, key: name), line: line)
      case "intent": result.intent = Located(value: try string(value, key: name), line: line)
      case "sources": result.sources = Located(value: try strings(value, key: name), line: line)
      case "decision": result.decision = Located(value: try json(value), line: line)
      case "events":
        guard case .array(let events) = try json(value) else { throw fail(value, "'events' must be a list") }
        result.events = Located(value: events, line: line)
      case "state": result.state = Located(value: try json(value), line: line)
      default: continue
      }
    }
    return result
  }

  /// Any YAML value as JSON, with plain scalars typed as YAML types them.
  func json(_ node: Node) throws -> JSONValue {
    if let mapping = node.mapping {
      var object: [String: JSONValue] = [:]
      for (key, value) in mapping {
        guard let name = key.string else { throw fail(key, "keys must be plain words") }
        object[name] = try json(value)
      }
      return .object(object)
    }
    if let sequence = node.sequence {
      return .array(try sequence.map { item in try json(item) })
    }
    guard let scalar = node.scalar else { throw fail(node, "aliases are not supported here") }
    if scalar.style == .plain {
      if node.null != nil { return .null }
      if let value = node.bool { return .bool(value) }
      if let value = node.int { return .integer(value) }
      if let value = node.float { return .number(value) }
    }
    return .string(scalar.string)
  }
}

/// A mapping's entries, in the order written.
private struct Fields {
  let node: Node
  var entries: [(name: String, key: Node, value: Node)] = []

  subscript(name: String) -> Node? {
    entries.first { $0.name == name }?.value
  }

  func entry(_ name: String) -> (Node, Node)? {
    entries.first { $0.name == name }.map { ($0.key, $0.value) }
  }
}
