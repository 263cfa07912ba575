import Foundation

/// The words of a request's replies that are not whole templates: the start's sentence
/// around what the right will do, and the placeholders of the code's replies.
extension RequestFlow {
  /// What the start says: the policy's answer first when the request came with one, then
  /// what the request will do and the question for the address.
  static func startParts(
    _ action: GatedAction, type: String, context: FlowContext, state: SessionState
  ) -> [FlowReply.Part] {
    var parts = action.sources.isEmpty ? [] : action.replies.prefix(1).map { FlowReply.Part.verbatim($0.text) }
    let does = context.requestSettings.types[type]?.does ?? "take your request"
    let prompt = context.templateReply(action.intent)
    // Human review explains itself; the other requests say what they will do first.
    parts.append(.verbatim(type == "human_review" ? prompt : "I can take this request now: I'll \(does). " + prompt))
    if type == "human_review", let decision = state.lastDecision {
      parts.append(.verbatim("That includes my last automated decision: \(decision.rule ?? decision.kind)."))
    }
    return parts
  }

  /// The placeholders of the code's replies: where it went (masked), how long it lasts.
  static func values(_ draft: RequestDraft, context: FlowContext) -> [String: String] {
    let settings = context.requestSettings
    return [
      "contact_masked": draft.email.map(GateAnswers.masked) ?? "your address",
      "lifetime": minutes(settings.codeLifetime), "digits": String(settings.codeDigits),
    ]
  }

  /// "1 minute", "10 minutes".
  static func minutes(_ interval: TimeInterval) -> String {
    let minutes = Int(interval / 60)
    return minutes == 1 ? "1 minute" : "\(minutes) minutes"
  }
}
