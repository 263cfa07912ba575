import Foundation
import Synchronization

/// The PolicyChat engine: the one entry point every front end (REPL, stdio server, replay
/// runner, an embedding application) drives.
///
/// ```swift
/// let engine = try Engine(configuration: EngineConfiguration(home: URL(fileURLWithPath: ".")))
/// let opening = try engine.openSession()
/// let turn = try engine.send("How long do you keep my data?", to: opening.sessionId)
/// print(turn.text)
/// ```
///
/// Thread-safe: sessions may be used from any thread. It does no terminal or stdio I/O.
public final class Engine: Sendable {
  /// The version of PolicyChat, reported by `--version` and the protocol's `initialize`.
  public static let version = "0.1.0"

  public let knowledge: KnowledgeBase
  public let catalog: IntentCatalog
  public let jurisdictions: Jurisdictions
  public let gates: GateSettings
  public let decisions: DecisionCatalog
  public let consentCatalog: ConsentCatalog
  public let requestSettings: RequestSettings
  public let codeBudgets: CodeBudgets
  public let disclosure: Disclosure
  /// The opening disclosure, rendered once: it has no values, and rendering it on every
  /// opening was a few per cent of a one-question session (perf, issue 18).
  let openingText: String
  /// Where knowledge/ is, for archived versions of the policy.
  let home: URL
  let redactor = Redactor()
  /// Addresses the assistant itself publishes, spared when a kept reply is redacted; found
  /// once, not on every kept turn.
  let publishedAddresses: [String]
  let understanding: Understanding
  let composer: ReplyComposer
  /// The records over the host's store, and the rules on them (Store/RecordKeeper).
  let store: RecordKeeper
  let clock: any EngineClock
  let random: any RandomSource
  private let maxMessageCharacters: Int
  let sessions = SessionTable()
  /// When unanswered parental consent requests were last looked for (engine clock).
  let lastLapseSweep = Mutex<Date?>(nil)
  let storageWarning: (@Sendable (String) -> Void)?
  /// Whether the host was already warned that a log record could not be written: once is
  /// enough, not on every turn of a full disk.
  let storageWarned = Mutex(false)

  public convenience init(configuration: EngineConfiguration) throws(EngineError) {
    let store = try SQLiteSessionStore(location: configuration.database)
    try self.init(configuration: configuration, store: store)
  }

  /// An engine over a store of the host's own. Contact details still in the clear, or
  /// sealed with a previous key, are sealed with the current key first.
  public convenience init(configuration: EngineConfiguration, store: any SessionStore) throws(EngineError) {
    self.init(
      policy: try PolicyData.load(home: configuration.home), configuration: configuration, store: store)
    try self.store.sealContactDetails()
  }

  /// An engine over policy data loaded once and shared, e.g. by many replays.
  /// `configuration.home` is not read again.
  public convenience init(policy: PolicyData, configuration: EngineConfiguration) throws(EngineError) {
    let store = try SQLiteSessionStore(location: configuration.database)
    self.init(policy: policy, configuration: configuration, store: store)
    try self.store.sealContactDetails()
  }

  /// An engine over shared policy data and a store of the caller's: several engines (say,
  /// before and after a policy change) can then share one database.
  public init(policy: PolicyData, configuration: EngineConfiguration, store: any SessionStore) {
    knowledge = policy.knowledge
    catalog = policy.catalog
    jurisdictions = policy.jurisdictions
    gates = policy.gates
    decisions = policy.decisions
    consentCatalog = policy.consents
    requestSettings = policy.requests
    codeBudgets = policy.codeBudgets
    publishedAddresses = Self.publishedAddresses(policy)
    disclosure = policy.disclosure
    home = policy.home
    understanding = policy.understanding
    composer = policy.composer
    openingText = policy.composer.render(policy.disclosure.opening, values: [:])
    self.store = RecordKeeper(records: store, keys: ContactKeys(configuration: configuration, store: store))
    clock = configuration.clock
    random = configuration.random
    maxMessageCharacters = configuration.maxMessageCharacters
    storageWarning = configuration.storageWarning
  }

  /// Opens a session; the returned turn discloses that this is an automated assistant.
  public func openSession(_ options: SessionOptions = SessionOptions()) throws(EngineError) -> Turn {
    let id = "s-" + random.hexString(count: 16)
    let now = clock.now()
    // Housekeeping and the device's memory must not keep a person from their answers when
    // the database cannot be written; the sweep runs again at a later opening.
    keepIfPossible("expired parental consent requests") { () throws(EngineError) in
      try closeLapsedParentalConsents(now: now)
    }
    var state = SessionState(id: id)
    // A region's code (EU) says no country: the strictest rule applies, as for none.
    state.country = options.country.flatMap(jurisdictions.countryCode)
    if let deviceId = options.deviceId, !deviceId.isEmpty {
      var recalled = state
      let known = keepIfPossible("the device's key") { () throws(EngineError) in
        try recallDevice(deviceId, into: &recalled, now: now)
      }
      if known { state = recalled }
    }
    let notes = try openConsents(options.signals, state: &state, now: now) + recallSubject(into: &state, now: now)
    // A child's session keeps nothing that could describe the child, not even the
    // country and language the host passed.
    let opened = keepIfPossible("a session record") { () throws(EngineError) in
      try store.sessionOpened(
        SessionRecord(
          id: id, openedAt: now, country: state.childPrivacy ? nil : state.country,
          locale: state.childPrivacy ? nil : options.locale))
    }
    let trace = Trace.plain(.opening, intent: "opening")
    state.lastTrace = trace
    var turn = Turn(
      sessionId: id, intent: "opening", confidence: 1,
      replies: [Reply(text: openingText)] + notes,
      events: [TurnEvent(type: "disclosure", data: ["automated": "true"])], state: state.snapshot)
    if !(try record(turn, trace: trace, state: &state, at: now)) || !opened {
      turn.events.append(Self.notKept)
    }
    sessions.open(state)
    return turn
  }

  /// Answers one message of the person.
  public func send(_ text: String, to sessionId: String) throws(EngineError) -> Turn {
    try exchange(text, to: sessionId).turn
  }

  /// One message's turn, and what of the message a front end's history may keep.
  func exchange(_ text: String, to sessionId: String) throws(EngineError) -> SentMessage {
    try turn(on: sessionId, message: text) { state, now throws(EngineError) in
      let message = text.trimmingWhitespace
      if message.utf8.count > maxMessageCharacters && message.count > maxMessageCharacters {
        return fixedReply("too_long", state: state)
      } else if message.hasPrefix("/") {
        return try command(message, state: &state, now: now)
      } else {
        return try converse(message, state: &state, now: now)
      }
    }
  }

  /// Runs one turn on a session: reads its state, lapses expired consents, lets `body`
  /// make the turn, records it and keeps the new state (unless the session was closed
  /// meanwhile).
  func withSession(
    _ sessionId: String, _ body: (inout SessionState, Date) throws(EngineError) -> (Turn, Trace)
  ) throws(EngineError) -> Turn {
    try turn(on: sessionId, message: nil, body).turn
  }

  /// ``withSession(_:_:)`` for a turn that may answer a `message` of the person: while
  /// `session_logging` is in force before and after the turn, the redacted message and
  /// reply are kept (``MessageKeeping``). Returns the turn and what of the message the
  /// front end's history may keep. One turn of a session runs at a time (``SessionTable``).
  func turn(
    on sessionId: String, message: String?,
    _ body: (inout SessionState, Date) throws(EngineError) -> (Turn, Trace)
  ) throws(EngineError) -> SentMessage {
    try sessions.turn(sessionId) { state throws(EngineError) -> SentMessage in
      try turn(on: &state, message: message, body)
    }
  }

  private func turn(
    on state: inout SessionState, message: String?,
    _ body: (inout SessionState, Date) throws(EngineError) -> (Turn, Trace)
  ) throws(EngineError) -> SentMessage {
    let now = clock.now()
    var notes = try lapseConsents(state: &state, now: now)
    if let tightened = try AgeScreenFlow.adoptDeviceAnswer(context: flowContext(now), state: &state) {
      notes.insert(contentsOf: turn(for: tightened, state: state).0.replies, at: 0)
    }
    try refreshSubject(state: &state)
    try refreshLoggingConsent(state: &state, now: now)
    let keeping = MessageKeeping(before: state, at: now)
    var (turn, trace) = try body(&state, now)
    try applyEffects(of: &state, now: now)
    if !notes.isEmpty {
      turn.replies.insert(contentsOf: notes, at: 0)
      turn.state = state.snapshot
    }
    var kept = try record(turn, trace: trace, state: &state, at: now)
    if let message, let text = keeping.keptText(message, after: state, at: now) {
      let logged = turn
      kept =
        keepIfPossible("kept chat text") { () throws(EngineError) in
          try keepTranscript(text, turn: logged, state: state, now: now)
        } && kept
    }
    if !kept { turn.events.append(Self.notKept) }
    let history = message.map { keeping.history($0, turn: turn, after: state, at: now, redactor: redactor) }
    return SentMessage(turn: turn, history: history ?? .nothing)
  }

  /// Whether a session is open on this engine.
  public func isOpen(_ sessionId: String) -> Bool {
    sessions.isOpen(sessionId)
  }

  /// Closes a session; its id is unknown afterwards.
  public func closeSession(_ sessionId: String) throws(EngineError) {
    guard sessions.close(sessionId) else { throw .unknownSession }
    let now = clock.now()
    // Closed either way: only the time of closing is lost.
    keepIfPossible("a session's closing time") { () throws(EngineError) in
      try store.sessionClosed(id: sessionId, at: now)
    }
  }

  /// How the last answer of a session was chosen.
  public func lastTrace(of sessionId: String) throws(EngineError) -> Trace? {
    guard let state = sessions.state(of: sessionId) else { throw .unknownSession }
    return state.lastTrace
  }

  /// A turn made from an intent's reply alone, without reading the message.
  func fixedReply(_ intent: String, state: SessionState) -> (Turn, Trace) {
    let turn = Turn(
      sessionId: state.id, intent: intent, confidence: 1, replies: [Reply(text: composer.templateReply(intent))],
      state: state.snapshot)
    return (
      turn,
      Trace.plain(.limit, intent: intent)
    )
  }

  /// Records a turn; false when its record could not be written (the decision, part of the
  /// audit trail, must be written or the turn fails).
  private func record(
    _ turn: Turn, trace: Trace, state: inout SessionState, at now: Date
  ) throws(EngineError) -> Bool {
    state.turnCount += 1
    state.lastTrace = trace
    if let decision = turn.decision {
      try recordDecision(decision, state: state, now: now)
      state.lastDecision = decision
    }
    // A child's turns are not kept, not even as metadata: nothing about a child is
    // stored without a parent's consent, and a child's session stays private with it.
    // Nor are the turns of a person under a restriction, or of one just erased.
    guard !state.childPrivacy, !state.restricted, !state.erased else { return true }
    let record = TurnRecord(
      sessionId: state.id, sequence: state.turnCount, at: now, intent: turn.intent, confidence: turn.confidence,
      method: trace.method.rawValue, sources: turn.sources.map(\.id).joined(separator: ","))
    return keepIfPossible("a turn record") { () throws(EngineError) in try store.turnTaken(record) }
  }

  /// The event on a turn whose log could not be written: the answer is given, but nothing
  /// of it was kept (the host may tell the person, or its operator).
  static let notKept = TurnEvent(type: "storage.warning", data: ["recorded": "false"])

  /// Writes a record that only logs the conversation, or that the engine makes again later
  /// (a turn's metadata, kept chat text, a refusal read from a browser signal): when the
  /// database cannot take it (read-only, full, locked), the person still gets their
  /// answer. The host's `storageWarning` hears of it once, with the database's reason and
  /// what was not kept, never personal data. Returns whether it was written.
  ///
  /// Writes that must not be lost (consent given or withdrawn, rights requests, parental
  /// consent, codes, decisions) do not come here: they fail the turn with `.storage`.
  @discardableResult
  func keepIfPossible(_ what: String, _ write: () throws(EngineError) -> Void) -> Bool {
    do {
      try write()
      return true
    } catch {
      let first = storageWarned.withLock { warned in
        defer { warned = true }
        return !warned
      }
      if first {
        storageWarning?("\(error.description); \(what) was not kept, and answers go on without records")
      }
      return false
    }
  }

  /// An automated decision, for the audit trail.
  func recordDecision(_ decision: Decision, state: SessionState, now: Date) throws(EngineError) {
    try store.decisionMade(
      DecisionRecord(
        sessionId: state.id, at: now, kind: decision.kind, outcome: decision.outcome, rule: decision.rule ?? "",
        facts: (decision.facts ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
          separator: "; ")))
  }

  /// Confidence to three decimals, so that turns compare and replay exactly.
  static func rounded(_ value: Double) -> Double {
    (value * 1000).rounded() / 1000
  }
}
