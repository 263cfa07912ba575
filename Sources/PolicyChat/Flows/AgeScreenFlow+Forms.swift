import Foundation

/// The country as a front end gives it (the protocol's `country.set`, the `/country`
/// command): the place goes to the screen as it is, never written out as "I live in …"
/// and read back by the text parser; what comes of it is what the same words in the chat do.
extension AgeScreenFlow {
  /// A country given while `held` waited.
  static func given(
    _ place: Place, held: PendingStep?, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome {
    if case .flow(let screen as AgeScreenFlow)? = held {
      // The answer to the screen's question: noted, and the date of birth asked next.
      if screen.question == .country { return screen.answer(place, context: context, state: &state) }
      // Not the date of birth: the country is taken, and the date of birth asked again.
      let screened = state.ageGate
      let statement = try stated(place, remainder: "", context: context, state: &state)
      guard case .reply(var reply, nil) = statement.outcome, state.ageGate == screened else { return statement.outcome }
      reply.append(screen.question(context: context, state: state))
      return .reply(reply, waiting: .flow(screen))
    }
    let screened = state.ageGate
    let statement = try stated(place, remainder: "", context: context, state: &state)
    // As in the chat, the country takes the place of a question about a parent's address
    // or code; any other question waits on, unless the country decided the screen anew.
    guard case .flow(let flow)? = held, state.ageGate == screened, case .reply(let reply, nil) = statement.outcome,
      !(flow is ParentalConsentFlow || (flow as? ParentFlow)?.yieldsToScreenAnswers == true)
    else { return statement.outcome }
    return .reply(reply, waiting: .flow(flow))
  }

  /// `/country` with what follows it: where the gates stand, a country given, or a group
  /// of countries asked about. Whatever follows, a request waiting on the screen keeps
  /// waiting.
  static func command(_ argument: String, context: FlowContext, state: inout SessionState) throws(EngineError)
    -> FlowOutcome
  {
    guard !argument.isEmpty else { return .reply(status(context: context, state: state), waiting: nil) }
    var waiting: GatedAction?
    if case .flow(let screen as AgeScreenFlow)? = state.pending, screen.question == .country || state.ageGate == nil {
      waiting = screen.then
    }
    guard let place = context.jurisdictions.place(for: argument) else {
      return .reply(FlowReply("age.reask_country"), waiting: .flow(Self(question: .country, then: waiting)))
    }
    guard place.country != nil else {
      guard state.ageGate == nil, state.country == nil else {
        return regionStated(place, remainder: "", context: context, state: &state).outcome
      }
      return askCountry(within: place, then: waiting, context: context, state: &state)
    }
    let held = state.pending
    state.pending = nil
    return try given(place, held: held, context: context, state: &state)
  }
}
