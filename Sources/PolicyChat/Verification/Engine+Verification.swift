import Foundation

/// The engine's one verifier, and the refusals of codes as explained automated decisions.
/// Each flow words its own replies; these are the parts they share.
extension Engine {
  var verifier: Verifier {
    Verifier(store: store, random: random, budgets: codeBudgets)
  }

  /// A spent budget, as a decision of `kind` answered with `intent`. It names no address,
  /// not even masked: whoever asked may not be its owner.
  func codeBudgetTurn(
    _ refusal: CodeBudgetRefusal, kind: DecisionKind, intent: String, state: SessionState
  ) -> (Turn, Trace) {
    turn(for: codeBudgetReply(refusal, kind: kind, intent: intent, state: state), state: state)
  }

  /// ``codeBudgetTurn(_:kind:intent:state:)`` as a flow's reply.
  func codeBudgetReply(
    _ refusal: CodeBudgetRefusal, kind: DecisionKind, intent: String, state: SessionState
  ) -> FlowReply {
    var values = [
      "limit": String(refusal.limit), "window": codeBudgets.windowText, "after": UTCDate.minute(refusal.after),
    ]
    values["why"] = composer.templateReply("verification.budget_" + refusal.scope.rawValue, values: values)
    let decision = makeDecision(
      kind, outcome: "refused", state: state, extra: values,
      facts: [
        "budget": refusal.scope.rawValue, "limit": "\(refusal.limit) in \(codeBudgets.windowText)",
        "after": UTCDate.minute(refusal.after),
      ])
    return FlowReply(intent, values: values, decision: decision)
  }

  /// A reference's day of codes spent, as a decision of `kind` answered with `intent`.
  func codeLimitTurn(
    _ refusal: CodeLimitRefusal, kind: DecisionKind, intent: String, values given: [String: String],
    state: SessionState
  ) -> (Turn, Trace) {
    turn(for: codeLimitReply(refusal, kind: kind, intent: intent, values: given, state: state), state: state)
  }

  /// ``codeLimitTurn(_:kind:intent:values:state:)`` as a flow's reply.
  func codeLimitReply(
    _ refusal: CodeLimitRefusal, kind: DecisionKind, intent: String, values given: [String: String],
    state: SessionState
  ) -> FlowReply {
    var values = given
    values["reference"] = refusal.reference
    values["after"] = UTCDate.minute(refusal.after)
    values["maxCodesPerDay"] = String(refusal.limit)
    let decision = makeDecision(
      kind, outcome: "refused", state: state, extra: values,
      facts: ["reference": refusal.reference, "codes": "\(refusal.limit) in 24 hours"])
    return FlowReply(intent, values: values, decision: decision)
  }
}
