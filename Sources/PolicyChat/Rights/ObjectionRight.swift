/// Objection: marketing, analytics and personalisation off.
struct ObjectionRight: RightFulfilment {
  let type = "objection"
  let canFulfilAutomatically = true

  func carryOut(_ request: RightRequest, state: inout SessionState, engine: Engine) throws(EngineError)
    -> RightOutcome
  {
    try ConsentsSwitchedOff.carryOut(
      ["marketing", "analytics", "personalisation"], method: "objection", request: request, state: &state,
      engine: engine)
  }
}
