import Foundation

/// Which flow an understood intent starts: the one place to add a flow's entry.
enum FlowStarts {
  /// The first step of the flow `intent` starts, or nil when it starts none.
  static func start(
    _ intent: String, normalized: String, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome? {
    switch intent {
    case "consent.cookies":
      return CookiePreferencesFlow.start(context: context, state: &state)
    case "consent.give", "consent.withdraw", "consent.status", "consent.receipt":
      return try ConsentFlow.start(intent, normalized: normalized, context: context, state: &state)
    default:
      return nil
    }
  }
}
