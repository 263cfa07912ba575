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
      var (turn, trace) = try gate(action, state: &state)
      if let done {
        let (before, _) = self.turn(for: done, state: state)
        turn.replies.insert(contentsOf: before.replies, at: 0)
        turn.events.insert(contentsOf: before.events, at: 0)
        turn.decision = turn.decision ?? before.decision
      }
      return (turn, trace)
    case .fulfil(let request, let before):
      return try fulfil(request, before: before, state: &state)
    case .decline:
      return nil
    }
  }

  /// A flow's reply as a turn.
  func turn(for reply: FlowReply, state: SessionState) -> (Turn, Trace) {
    let intent = reply.turnIntent
    let replies = reply.parts.map { Reply(text: $0.text ?? composer.templateReply($0.template, values: $0.values)) }
    let turn = Turn(
      sessionId: state.id, intent: intent, confidence: 1, replies: replies, sources: reply.sources,
      decision: reply.decision, events: reply.events, state: state.snapshot)
    var trace = reply.trace ?? Trace.plain(.gate, intent: intent)
    if let decision = reply.decision { trace.decision = decision }
    return (turn, trace)
  }

  /// The turn of a flow's first step, which answers whatever it is given.
  func flowTurn(_ outcome: FlowOutcome, state: inout SessionState) throws(EngineError) -> (Turn, Trace) {
    try turn(for: outcome, state: &state) ?? gateTurn("fallback", state: state)
  }

  /// Steps the flow a session waits on.
  func step(
    _ flow: any Flow, _ input: FlowInput, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace)? {
    try turn(for: flow.step(input, context: flowContext(now), state: &state), state: &state)
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
