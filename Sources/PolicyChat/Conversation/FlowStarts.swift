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

  /// A rights request the age screen let through (or a review by a person, which it never
  /// holds back).
  static func request(_ action: GatedAction, context: FlowContext, state: SessionState) -> FlowOutcome {
    RequestFlow.start(action, context: context, state: state)
  }

  /// The protocol's `request.start`: a request of `type`, through the age screen first if
  /// its intent collects data.
  static func request(type: String, context: FlowContext, state: SessionState) throws(EngineError) -> FlowOutcome {
    let intent = "request." + type
    let settings = context.requestSettings
    guard let definition = context.catalog.intent(intent), settings.types[type] != nil else {
      throw .invalidInput(field: "type", reason: "one of " + settings.types.keys.sorted().joined(separator: ", "))
    }
    let action = GatedAction(intent: intent, replies: [], sources: [], trace: Trace.plain(.gate, intent: intent))
    return definition.collects ? .screenFirst(action) : request(action, context: context, state: state)
  }

  /// "What's the status of RQ-7F3K2P?"
  static func requestStatus(_ reference: String, context: FlowContext, state: SessionState) throws(EngineError)
    -> FlowOutcome
  {
    try RequestStatusFlow.start(reference, context: context, state: state)
  }
}
