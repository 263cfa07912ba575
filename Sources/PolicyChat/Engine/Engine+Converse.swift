import Foundation

/// Which flow a message of the person goes to: the question waiting, a statement the age
/// screen reads, the flow the understood intent starts, or the policy's answer.
extension Engine {
  func converse(_ message: String, state: inout SessionState, now: Date) throws(EngineError) -> (Turn, Trace) {
    let normalized = TextNormalizer.normalize(message)
    let context = flowContext(now)
    // A side question ("why did you say that?", "are you a bot?") is answered, and the
    // question the assistant asked still waits for its answer.
    if state.pending != nil, let side = understanding.ruleIntent(normalized), catalog.intent(side)?.aside == true {
      let held = state.pending
      var result = try disclosureTurn(side, normalized: normalized, state: state) ?? answer(message, state: &state)
      state.pending = held
      result.0.state = state.snapshot
      return result
    }
    if let step = state.pending {
      state.pending = nil
      if !interrupts(step, normalized: normalized, context: context, state: state),
        let result = try continueStep(step, message: message, normalized: normalized, state: &state, now: now)
      {
        return result
      }
    }
    // A short message with an address, after the offer, is the parent's address; a long
    // one is more likely a question that happens to mention an address.
    if state.parentOffered, state.childPrivacy, state.parentalStatus != "pending",
      GateAnswers.wordCount(message) <= 6, let email = GateAnswers.email(in: message)
    {
      return try flowTurn(
        ParentalConsentFlow.request(
          contact: email, scope: state.heldForParent?.intent, context: context, state: &state),
        state: &state)
    }
    if let (place, remainder) = AgeScreenFlow.place(statedIn: normalized, context: context) {
      let statement = try AgeScreenFlow.stated(place, remainder: remainder, context: context, state: &state)
      return try said(statement, remainder: remainder, state: &state, now: now)
    }
    if state.ageGate != nil, catalog.cue("age_statement", matches: normalized),
      case .success(let declared) = DeclaredAge.parse(message, now: now)
    {
      return try flowTurn(
        AgeScreenFlow.secondAnswer(declared.age(at: now), context: context, state: &state), state: &state)
    }
    let (turn, trace) = answer(message, state: &state)
    let reference = GateAnswers.reference(in: message)
    if turn.intent.hasPrefix("consent."), let reference {
      // "review consent PC-7F3K2P" is about a parent's consent, not the person's own.
      return try parentTurn(ParentFlow.action(in: normalized) ?? .review, reference: reference, state: &state, now: now)
    }
    if let started = try FlowStarts.start(turn.intent, normalized: normalized, context: context, state: &state) {
      return try flowTurn(started, state: &state)
    }
    if let disclosed = try disclosureTurn(turn.intent, normalized: normalized, state: state) {
      return disclosed
    }
    if let action = ParentAction(intent: turn.intent) {
      return try parentTurn(action, reference: reference, state: &state, now: now)
    }
    if let reference {
      return try parentTurn(.consent, reference: reference, state: &state, now: now)
    }
    if let request = GateAnswers.requestReference(in: message) {
      return try flowTurn(FlowStarts.requestStatus(request, context: context, state: state), state: &state)
    }
    let action = GatedAction(intent: turn.intent, replies: turn.replies, sources: turn.sources, trace: trace)
    if turn.intent == "request.human_review" {
      // Always open, also to a child: a person can be reached to contest any decision.
      return try flowTurn(FlowStarts.request(action, context: context, state: state), state: &state)
    }
    if catalog.intent(turn.intent)?.collects == true {
      return try flowTurn(AgeScreenFlow.screen(action, context: context, state: &state), state: &state)
    }
    return (turn, trace)
  }

  /// Saying where one lives, or giving an age again, is not an answer to a question about
  /// a parent's address or a code; it may well be part of a complaint, though.
  private func interrupts(
    _ step: PendingStep, normalized: String, context: FlowContext, state: SessionState
  ) -> Bool {
    guard case .flow(let flow) = step,
      flow is ParentalConsentFlow || (flow as? ParentFlow)?.yieldsToScreenAnswers == true
    else { return false }
    return (state.ageGate != nil && catalog.cue("age_statement", matches: normalized))
      || AgeScreenFlow.place(statedIn: normalized, context: context) != nil
  }

  /// The answer to the question the assistant asked, or nil when the message is about
  /// something else (the question is then dropped and the message read as usual).
  private func continueStep(
    _ step: PendingStep, message: String, normalized: String, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace)? {
    switch step {
    case .flow(let flow):
      return try self.step(flow, .text(message: message, normalized: normalized), state: &state, now: now)
    }
  }

  /// What a statement of a place comes to; "I'm in Germany, how long do you keep chats?"
  /// is answered as well, after the country is noted.
  private func said(
    _ statement: AgeScreenFlow.Statement, remainder: String, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    let (noted, trace) = try flowTurn(statement.outcome, state: &state)
    guard statement.readsRest, TextNormalizer.words(remainder).count >= 2 else { return (noted, trace) }
    var (turn, restTrace) = try converse(remainder, state: &state, now: now)
    turn.replies.insert(contentsOf: noted.replies, at: 0)
    turn.state = state.snapshot
    return (turn, restTrace)
  }

  /// The first step of a parent's action on a consent (``ParentFlow``).
  private func parentTurn(
    _ action: ParentAction, reference: String?, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    try flowTurn(
      ParentFlow.start(action, reference: reference, context: flowContext(now), state: &state), state: &state)
  }
}

extension ParentAction {
  /// The parent's action an intent starts, if it is one of `parent.*`.
  init?(intent: String) {
    guard intent.hasPrefix("parent.") else { return nil }
    self.init(rawValue: String(intent.dropFirst("parent.".count)))
  }
}
