import Foundation

/// Whoever knows a reference (`PC-...`, `RQ-...`) can ask for codes to be sent to its owner.
/// A day's codes per reference are capped, so that a stranger can neither flood the owner's
/// mailbox nor guess code after code, each new code bringing fresh tries.
extension Engine {
  /// The refusal to send `reference` another code when it had `limit` in the last 24 hours
  /// (an automated decision of `kind`, answered with `intent`); nil when a code may go out.
  func codeLimitRefusal(
    reference: String, limit: Int, kind: DecisionKind, intent: String, values given: [String: String],
    state: SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace)? {
    let times = try store.challengesIssued(reference: reference, since: now.addingTimeInterval(-86_400))
    guard times.count >= limit else { return nil }
    // Codes go out again when enough of today's are a day old.
    let after = times[times.count - limit].addingTimeInterval(86_400)
    var values = given
    values["reference"] = reference
    values["after"] = UTCDate.minute(after)
    values["maxCodesPerDay"] = String(limit)
    let decision = makeDecision(
      kind, outcome: "refused", state: state, extra: values,
      facts: ["reference": reference, "codes": "\(limit) in 24 hours"])
    return gateTurn(intent, values: values, state: state, decision: decision)
  }
}
