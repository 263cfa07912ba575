/// Withdrawal of consent: every purpose that needs consent off.
struct WithdrawConsentRight: RightFulfilment {
  let type = "withdraw_consent"
  let canFulfilAutomatically = true

  func carryOut(_ request: RightRequest, state: inout SessionState, engine: Engine) throws(EngineError)
    -> RightOutcome
  {
    try ConsentsSwitchedOff.carryOut(
      engine.consentCatalog.purposes.filter(\.needsConsent).map(\.id), method: "withdrawal request",
      request: request, state: &state, engine: engine)
  }
}
