/// Restriction: nothing more kept or used for the subject, in any of their sessions,
/// until the privacy officer lifts it.
struct RestrictionRight: RightFulfilment {
  let type = "restriction"
  let canFulfilAutomatically = true

  func carryOut(_ request: RightRequest, state: inout SessionState, engine: Engine) throws(EngineError)
    -> RightOutcome
  {
    try engine.store.setRestricted(subjectId: request.subjectId, true)
    state.restricted = true
    engine.restrictOpenSessions(of: request.subjectId, true)
    return RightOutcome(intent: "request.restriction_done", outcome: "restriction in force until lifted")
  }
}
