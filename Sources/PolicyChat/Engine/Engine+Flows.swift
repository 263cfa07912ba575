import Foundation

/// Where flows meet the engine: their outcomes become turns, and their effects are applied.
extension Engine {
  func flowContext(_ now: Date) -> FlowContext {
    FlowContext(engine: self, now: now)
  }

  /// The turn a flow's outcome makes; nil when the flow declined the input.
  func turn(for outcome: FlowOutcome, state: inout SessionState) throws(EngineError) -> (Turn, Trace)? {
    switch outcome {
    case .reply(let reply, let waiting):
      // A finished flow leaves alone whatever else waits (a request, when `/consent` is used
      // in the middle of one); the caller already cleared the step it answered.
      if let waiting { state.pending = waiting }
      return turn(for: reply, state: state)
    case .screenFirst(let action, let done):
      let before = done.map { turn(for: $0, state: state).0 }
      let screened = try AgeScreenFlow.screen(action, context: flowContext(clock.now()), state: &state)
      return try turn(for: screened, state: &state).map { Self.prefixed($0, with: before) }
    case .passed(let action, let done):
      let before = done.map { turn(for: $0, state: state).0 }
      return Self.prefixed(try proceed(action, state: &state, now: clock.now()), with: before)
    case .aside(let flow):
      // A structured action cannot be "answered as usual": the question is asked again.
      state.pending = .flow(flow)
      return turn(for: flow.question(context: flowContext(clock.now()), state: state), state: state)
    case .fulfil(let request, let before):
      return try fulfil(request, before: before, state: &state)
    case .decline:
      return nil
    }
  }

  /// `before`'s replies and events ahead of a turn's own; its decision if the turn has none.
  private static func prefixed(_ result: (Turn, Trace), with before: Turn?) -> (Turn, Trace) {
    guard let before else { return result }
    var (turn, trace) = result
    turn.replies.insert(contentsOf: before.replies, at: 0)
    turn.events.insert(contentsOf: before.events, at: 0)
    turn.decision = turn.decision ?? before.decision
    return (turn, trace)
  }

  /// A flow's reply as a turn.
  func turn(for reply: FlowReply, state: SessionState) -> (Turn, Trace) {
    let intent = reply.turnIntent
    let replies = reply.parts.map { part in
      let text = part.text ?? composer.templateReply(part.template, values: part.values)
      return Reply(text: part.lead.map { composer.templateReply($0, values: part.values) + " " + text } ?? text)
    }
    let turn = Turn(
      sessionId: state.id, intent: intent, confidence: 1, replies: replies, sources: reply.sources,
      decision: reply.decision, events: reply.events, state: state.snapshot)
    var trace = reply.trace ?? Trace.plain(.gate, intent: intent)
    if let decision = reply.decision { trace.decision = decision }
    return (turn, trace)
  }

  /// A turn of templates, in order.
  func gateTurn(
    _ intent: String, values: [String: String] = [:], state: SessionState, decision: Decision? = nil,
    events: [TurnEvent] = []
  ) -> (Turn, Trace) {
    turn(for: FlowReply(intent, values: values, decision: decision, events: events), state: state)
  }

  /// The turn of a flow's first step, which answers whatever it is given.
  func flowTurn(_ outcome: FlowOutcome, state: inout SessionState) throws(EngineError) -> (Turn, Trace) {
    try turn(for: outcome, state: &state) ?? gateTurn("fallback", state: state)
  }

  /// Steps the flow a session waits on. A message that is not its answer but leaves it
  /// waiting (``FlowOutcome/aside(_:)``) is answered as usual, and the question asked again.
  func step(
    _ flow: any Flow, _ input: FlowInput, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace)? {
    let outcome = try flow.step(input, context: flowContext(now), state: &state)
    guard case .aside(let asking) = outcome, case .text(let message, _) = input else {
      return try turn(for: outcome, state: &state)
    }
    let screen = state.ageGate
    var (turn, trace) = try converse(message, state: &state, now: now)
    // Only a message that starts something of its own, or settles the screen itself, takes
    // the question's place.
    guard state.pending == nil, state.ageGate == screen else { return (turn, trace) }
    state.pending = .flow(asking)
    turn.replies += self.turn(for: asking.question(context: flowContext(now), state: state), state: state).0.replies
    turn.state = state.snapshot
    return (turn, trace)
  }

  /// The request the age screen held back, now let through.
  func proceed(_ action: GatedAction, state: inout SessionState, now: Date) throws(EngineError) -> (Turn, Trace) {
    if let purposes = action.consentTo {
      return try flowTurn(
        ConsentFlow.set(
          purposes, granted: true, method: action.consentMethod, context: flowContext(now), state: &state),
        state: &state)
    }
    if action.intent.hasPrefix("request.") {
      return try flowTurn(FlowStarts.request(action, context: flowContext(now), state: state), state: &state)
    }
    let turn = Turn(
      sessionId: state.id, intent: action.intent, confidence: 1, replies: action.replies, sources: action.sources,
      state: state.snapshot)
    return (turn, action.trace)
  }

  /// A decision of `kind`, explained from knowledge/decisions.yaml with the session's facts.
  func makeDecision(
    _ kind: DecisionKind, outcome: String, state: SessionState, extra: [String: String] = [:],
    facts: [String: String]? = nil
  ) -> Decision {
    flowContext(clock.now()).decision(kind, outcome: outcome, state: state, extra: extra, facts: facts)
  }

  /// Applies the writes a turn's flows asked for, in one transaction, then tells the other
  /// sessions concerned and overwrites what a deletion left in the database's files.
  func applyEffects(of state: inout SessionState, now: Date) throws(EngineError) {
    let effects = state.effects
    guard !effects.isEmpty else { return }
    state.effects = []
    let deleted = try store.atomically { () throws(EngineError) -> Bool in
      try apply(effects, state: state, now: now)
    }
    announce(effects, state: state)
    if deleted { reclaimDeletedSpace() }
  }

  /// Writes `effects`, in order, inside the caller's transaction; returns whether records
  /// were deleted (their space is reclaimed once the transaction is committed).
  func apply(_ effects: [TurnEffect], state: SessionState, now: Date) throws(EngineError) -> Bool {
    var deleted = false
    for effect in effects {
      switch effect {
      case .consent(let record, _):
        try store.consentRecorded(record)
      case .deviceOutcome(let outcome, let deviceHash):
        _ = try recordDeviceOutcome(outcome, deviceHash: deviceHash, now: now)
      case .deleteTranscript(let subject, let reason):
        let lines = try store.deleteTranscript(subject: subject)
        try store.dataDeleted(DeletionRecord(at: now, reference: nil, reason: reason, detail: "\(lines) chat lines"))
        deleted = true
      case .decision(let decision):
        try recordDecision(decision, state: state, now: now)
      case .parentalConsent(let record):
        try store.saveParentalConsent(record)
      case .deleteChildData(let sessionId, let reference, let reason):
        _ = try removeChildData(sessionId: sessionId, deviceHash: nil, reference: reference, reason: reason, now: now)
        deleted = true
      case .tellChild:
        break  // told once the writes are stored (announce)
      case .saveSubject(let subject):
        try store.saveSubject(subject)
      case .link(let subjectId, let key):
        try store.link(subjectId: subjectId, key: key)
      case .unlink(let subjectId, let key):
        try store.unlink(subjectId: subjectId, key: key)
      case .deleteSubject(let id):
        try store.deleteSubject(id: id)
        deleted = true
      case .requestTold(let request):
        try store.saveRequest(request, sessionId: nil)
      case .audit(let record):
        try store.audit(record)
      }
    }
    return deleted
  }

  /// Once the writes are stored: the other sessions concerned hear of them.
  func announce(_ effects: [TurnEffect], state: SessionState) {
    for case .consent(let record, true) in effects {
      sessions.post(.consent(record), except: state.id) { $0.subject == record.subject }
    }
    for case .tellChild(let sessionId?, let status, let scope) in effects {
      sessions.post(.parentalConsent(status: status, scope: scope)) { $0.id == sessionId }
    }
  }
}
