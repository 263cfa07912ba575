import Foundation

/// Where a front end's structured step goes: straight into the flow it is for.
extension Engine {
  /// Carries out a gate step in a session and returns the turn it makes.
  public func perform(_ action: GateAction, in sessionId: String) throws(EngineError) -> Turn {
    try withSession(sessionId) { state, now throws(EngineError) in
      try perform(action, state: &state, now: now)
    }
  }

  func perform(_ action: GateAction, state: inout SessionState, now: Date) throws(EngineError) -> (Turn, Trace) {
    let held = state.pending
    state.pending = nil
    switch action {
    case .declareAge(let text):
      guard case .success(let declared) = DeclaredAge.parse(text, now: now) else {
        state.pending = held
        throw .invalidInput(field: "dateOfBirth", reason: "a possible date of birth or age")
      }
      let context = flowContext(now)
      if state.ageGate != nil {
        state.pending = held
        return try flowTurn(
          AgeScreenFlow.secondAnswer(declared.age(at: now), context: context, state: &state), state: &state)
      }
      var gated: GatedAction?
      if case .flow(let screen as AgeScreenFlow)? = held { gated = screen.then }
      return try flowTurn(
        AgeScreenFlow.settle(age: declared.age(at: now), then: gated, context: context, state: &state), state: &state)
    case .setCountry(let text):
      guard let place = jurisdictions.place(for: text) else {
        state.pending = held
        throw .invalidInput(field: "country", reason: "a known country code or name")
      }
      // A form names one country; a group of countries with different rules cannot stand for it.
      guard place.country != nil else {
        state.pending = held
        throw .invalidInput(
          field: "country",
          reason: "a country, not a group of countries: the age rules differ between its countries")
      }
      return try flowTurn(
        AgeScreenFlow.given(place, held: held, context: flowContext(now), state: &state), state: &state)
    case .requestParentalConsent(let contact):
      guard GateAnswers.email(in: contact) == contact else {
        state.pending = held
        throw .invalidInput(field: "contact", reason: "an e-mail address")
      }
      // The address goes to the question waiting, or to what the screen held back earlier.
      var flow = ParentalConsentFlow(then: state.heldForParent)
      if case .flow(let waiting as ParentalConsentFlow)? = held { flow = waiting }
      return try flowTurn(flow.step(.action(action), context: flowContext(now), state: &state), state: &state)
    case .parent(_, let reference), .enterCode(let reference, _):
      try requireConsent(reference)
      return try parentTurn(action, held: held, state: &state, now: now)
    case .confirmConsent, .hostVerified:
      return try parentTurn(action, held: held, state: &state, now: now)
    case .setConsent(let purpose, let granted):
      return try flowTurn(
        ConsentFlow.set([purpose], granted: granted, method: "protocol", context: flowContext(now), state: &state),
        state: &state)
    case .consentStatus:
      state.pending = held
      return gateTurn(
        "consent.status", values: ["list": ConsentFlow.list(state, context: flowContext(now))], state: state)
    case .startRequest(let type):
      return try flowTurn(FlowStarts.request(type: type, context: flowContext(now), state: state), state: &state)
    case .requestAnswer(let field, _):
      return try requestTurn(action, field: field, held: held, state: &state, now: now)
    case .requestStatus(let reference):
      return try flowTurn(
        FlowStarts.requestStatus(reference.uppercased(), context: flowContext(now), state: state), state: &state)
    case .cancelRequest:
      guard let held else { return gateTurn("request.cancelled", state: state) }
      guard case .flow(let flow) = held, flow is RequestFlow || flow is RequestStatusFlow else {
        // Whatever else waited is dropped too, with the same audit note.
        return try flowTurn(
          RequestFlow.cancelled(nil, how: "by protocol", context: flowContext(now), state: &state), state: &state)
      }
      return try flowTurn(flow.step(.action(action), context: flowContext(now), state: &state), state: &state)
    }
  }

  /// A request's structured answer, straight into the request flow waiting: invalid input
  /// when none waits or it waits on another field.
  private func requestTurn(
    _ action: GateAction, field: String, held: PendingStep?, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    var turn: (Turn, Trace)?
    if case .flow(let flow)? = held, flow is RequestFlow || flow is RequestStatusFlow {
      turn = try step(flow, .action(action), state: &state, now: now)
    }
    guard let turn else {
      state.pending = held
      throw .invalidInput(field: field, reason: "an answer a request in this session is waiting for")
    }
    return turn
  }

  /// A parent's structured step, straight into ``ParentFlow``: the one waiting, if any,
  /// knows which action a code is for.
  private func parentTurn(
    _ action: GateAction, held: PendingStep?, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    var flow = ParentFlow(question: nil)
    if case .flow(let waiting as ParentFlow)? = held { flow = waiting }
    return try flowTurn(flow.step(.action(action), context: flowContext(now), state: &state), state: &state)
  }

  /// A structured step names a consent that exists, or is invalid input.
  private func requireConsent(_ reference: String) throws(EngineError) {
    guard try store.parentalConsent(reference: reference) != nil else {
      throw .invalidInput(field: "reference", reason: "the reference of a consent request")
    }
  }
}
