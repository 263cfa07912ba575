/// Erasure: everything held about the subject deleted but the request itself, the
/// tombstone; the session keeps nothing from then on.
struct ErasureRight: RightFulfilment {
  let type = "erasure"
  let canFulfilAutomatically = true
  let asks = RightQuestion.confirmation

  func carryOut(_ request: RightRequest, state: inout SessionState, engine: Engine) throws(EngineError)
    -> RightOutcome
  {
    let deleted = try engine.store.erase(subjectId: request.subjectId, keeping: request.reference, at: request.now)
    try engine.store.dataDeleted(
      DeletionRecord(
        at: request.now, reference: request.reference, reason: "erasure request",
        detail: "\(deleted) stored records about the subject"))
    state.erased = true
    state.consents = [:]
    return RightOutcome(
      intent: "request.erasure_done", values: ["count": String(deleted)],
      events: [TurnEvent(type: "transcript.deleted", data: ["lines": "all"])],
      outcome: "\(deleted) records deleted; this request is the tombstone", deletedRecords: true)
  }
}
