/// Review by a person: a ticket for the privacy officer with what the person wants
/// looked at.
struct HumanReviewRight: RightFulfilment {
  let type = "human_review"
  let asks = RightQuestion.details

  /// Redacted like a complaint; a review opened after an automated decision names it, so
  /// the reviewer sees the rule.
  func recordedDetails(_ typed: String?, state: SessionState, engine: Engine) -> String? {
    let details = typed.map { engine.redactor.redact($0).text }
    guard let decision = state.lastDecision else { return details }
    return (details ?? "")
      + " [about the automated decision \(decision.kind) (\(decision.outcome)): \(decision.rule ?? "")]"
  }
}
