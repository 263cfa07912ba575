/// Access: a readable summary of everything held, in the chat.
struct AccessRight: RightFulfilment {
  let type = "access"
  let canFulfilAutomatically = true
  let readsWhatIsHeld = true

  func carryOut(_ request: RightRequest, state: inout SessionState, engine: Engine) throws(EngineError)
    -> RightOutcome
  {
    RightOutcome(
      intent: "request.access_done",
      values: ["summary": HeldSummary.values(request.held, consentCatalog: engine.consentCatalog)["summary"] ?? ""],
      outcome: "a summary of the data held was given in the chat")
  }
}
