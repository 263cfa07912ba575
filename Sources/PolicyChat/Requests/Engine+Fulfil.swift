import Foundation

/// A verified rights request handed to its right (``FlowOutcome/fulfil(_:before:)``): the
/// one step of a flow that is the engine's own, because a right's fulfilment writes (an
/// erasure deletes, a restriction is put in force) and must share a transaction with the
/// request it carries out.
extension Engine {
  /// Records the request and carries it out, with the effects the turn gathered so far,
  /// in one transaction: a process killed part-way must not leave a request recorded but
  /// not carried out (an erasure open with nothing erased) or carried out but not
  /// recorded. `before` is said first; the turn's intent is the fulfilment's.
  func fulfil(
    _ request: VerifiedRequest, before: FlowReply?, state: inout SessionState
  ) throws(EngineError) -> (Turn, Trace) {
    var updated = state
    let effects = updated.effects
    updated.effects = []
    let (done, deleted) = try store.atomically { () throws(EngineError) -> (FlowReply, Bool) in
      let deletedByEffects = try apply(effects, state: updated, now: request.at)
      let (done, deletedRecords) = try record(request, state: &updated)
      return (done, deletedByEffects || deletedRecords)
    }
    state = updated
    announce(effects, state: state)
    if deleted { reclaimDeletedSpace() }
    var reply = done
    if let before { reply.insert(before) }
    return turn(for: reply, state: state)
  }

  /// The request recorded and carried out by its right's fulfilment, or left open for the
  /// privacy officer: the fulfilment's reply, and whether records were deleted.
  private func record(
    _ verified: VerifiedRequest, state: inout SessionState
  ) throws(EngineError) -> (FlowReply, Bool) {
    guard let right = requestSettings.right(verified.type) else { return (FlowReply("request.cancelled"), false) }
    let now = verified.at
    let regime = requestSettings.regime(for: state.country)
    let reference = random.reference(prefix: "RQ-")
    let details = right.fulfilment.recordedDetails(verified.details, state: state, engine: self)
    // What is held, as it was when the request came: not counting the request itself.
    let held =
      right.automatic && right.fulfilment.readsWhatIsHeld
      ? try store.subjectExport(subjectId: verified.subjectId, at: now) : nil
    var request = RequestRecord(
      reference: reference, subjectId: verified.subjectId, type: verified.type, status: "open", regime: regime.id,
      country: state.country, receivedAt: now, dueAt: regime.due(from: now), details: details)
    try store.saveRequest(request, sessionId: state.id)
    if let challenge = verified.challenge { try store.retag(challengeId: challenge, reference: reference) }
    try store.audit(
      AuditRecord(
        at: now, actor: "subject", action: "received", reference: reference,
        detail: "\(verified.type) under \(regime.id), due \(UTCDate.day(request.dueAt))"))
    let rightRequest = RightRequest(
      reference: reference, subjectId: verified.subjectId, details: verified.details, held: held, now: now)
    let done =
      right.automatic
      ? try right.fulfilment.carryOut(rightRequest, state: &state, engine: self)
      : try right.fulfilment.passOn(rightRequest, state: &state, engine: self)
    var values = [
      "reference": reference, "title": requestSettings.types[verified.type]?.title ?? verified.type,
      "due": UTCDate.day(request.dueAt), "regime": regime.name,
    ]
    values.merge(done.values) { _, given in given }
    if let outcome = done.outcome {
      request.outcome = outcome
      request.status = "completed"
      request.closedAt = now
      try store.saveRequest(request, sessionId: nil)
      try store.audit(AuditRecord(at: now, actor: "engine", action: "completed", reference: reference, detail: outcome))
    }
    return (FlowReply(done.intent, values: values, events: done.events), done.deletedRecords)
  }
}
