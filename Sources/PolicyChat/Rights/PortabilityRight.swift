/// Portability: everything held, as the JSON of docs/schemas/subject-export.schema.json,
/// handed to the host in a `request.export` event.
struct PortabilityRight: RightFulfilment {
  let type = "portability"
  let canFulfilAutomatically = true
  let readsWhatIsHeld = true

  func carryOut(_ request: RightRequest, state: inout SessionState, engine: Engine) throws(EngineError)
    -> RightOutcome
  {
    // Nothing to export (no subject record): the request is received and stays open.
    guard let export = request.held else { return RightOutcome(intent: "request.received") }
    return RightOutcome(
      intent: "request.portability_done",
      values: ["sessions": HeldSummary.count(export.sessions.count, "conversation")],
      events: [TurnEvent(type: "request.export", data: ["reference": request.reference, "json": export.json])],
      outcome: "a JSON export was given")
  }
}
