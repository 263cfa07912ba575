/// A complaint: recorded for the privacy officer, with where else to complain.
struct ComplaintRight: RightFulfilment {
  let type = "complaint"
  let asks = RightQuestion.details

  /// Kept for the person who will read it, without the personal data it may carry.
  func recordedDetails(_ typed: String?, state: SessionState, engine: Engine) -> String? {
    typed.map { engine.redactor.redact($0).text }
  }

  func passOn(_ request: RightRequest, state: inout SessionState, engine: Engine) throws(EngineError)
    -> RightOutcome
  {
    RightOutcome(
      intent: "request.complaint_recorded",
      values: ["route": engine.requestSettings.complaintRoute(for: state.country)])
  }
}
