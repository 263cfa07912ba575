import Foundation

/// The neutral age screen (knowledge/age-gate.yaml, knowledge/jurisdictions.yaml,
/// intents/gates.yaml): before anything that collects personal data, the country the
/// person lives in (whose rules apply) and their date of birth. Its answer decides: an
/// adult goes on to what they asked for; a child under the consent age is offered to ask a
/// parent (``ParentalConsentFlow``); below the service age, answers only.
///
/// The flow waits on one question at a time and holds what waits on it; the outcome lives
/// in the session (``SessionState/ageGate``), where every other flow reads it.
struct AgeScreenFlow: AsksAgain {
  enum Question: Sendable {
    case country, birth
  }

  var question: Question
  /// What the screen stands in front of; nil when asked by `/country` or `/age` alone.
  var then: GatedAction?

  func step(_ input: FlowInput, context: FlowContext, state: inout SessionState) throws(EngineError) -> FlowOutcome {
    guard case .text(let message, let normalized) = input else { return .decline }
    switch question {
    case .country: return try countryAnswer(message, normalized: normalized, context: context, state: &state)
    case .birth: return try birthAnswer(message, normalized: normalized, context: context, state: &state)
    }
  }

  /// The answer to "which country do you live in?".
  private func countryAnswer(
    _ message: String, normalized: String, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome {
    let catalog = context.catalog
    if catalog.cue("cancel", matches: normalized) { return .reply(FlowReply("age.cancelled"), waiting: nil) }
    if catalog.cue("decline", matches: normalized) || catalog.cue("no", matches: normalized) {
      state.countryAsked = true
      // Someone who said "the EU" but not which country gets the strictest of the EU's.
      let unknown = state.region == nil ? "country.unknown" : "country.region_unknown"
      return .reply(
        FlowReply([unknown, "age.ask_birth_next"], values: context.countryValues(state)),
        waiting: .flow(Self(question: .birth, then: then)))
    }
    if let place = Self.place(answering: message, normalized: normalized, context: context) {
      return answer(place, context: context, state: &state)
    }
    if case .success(let declared) = DeclaredAge.parse(message, now: context.now) {
      // A date instead of a country: the strictest rule applies (of the region's countries,
      // if one was named).
      state.countryAsked = true
      return try Self.settle(age: declared.age(at: context.now), then: then, context: context, state: &state)
    }
    // An answer the screen cannot read is asked again; anything else is answered, and the
    // question still waits: a request is never dropped because of what was typed here.
    guard context.isTryAtAnswer(normalized) else { return .aside(self) }
    return .reply(FlowReply("age.reask_country"), waiting: .flow(self))
  }

  /// A place given at the country question, typed or from a form: a country settles it and
  /// the date of birth is asked next; a group of countries is asked about.
  func answer(_ place: Place, context: FlowContext, state: inout SessionState) -> FlowOutcome {
    // "The EU" does not say which country: asked which of its countries, still waiting.
    guard let code = place.country else {
      return Self.askCountry(within: place, then: then, context: context, state: &state)
    }
    state.country = code
    state.region = nil
    state.countryAsked = true
    var reply = Self.confirmation(of: place, context: context, state: state)
    reply.append(FlowReply("age.ask_birth_next", values: reply.parts.first?.values ?? [:]))
    return .reply(reply, waiting: .flow(Self(question: .birth, then: then)))
  }

  /// The answer to "what is your date of birth?".
  private func birthAnswer(
    _ message: String, normalized: String, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome {
    let catalog = context.catalog
    // "no" to "what is your date of birth?" is a refusal to say: stop, keeping nothing.
    if catalog.cue("cancel", matches: normalized) || catalog.cue("no", matches: normalized) {
      return .reply(FlowReply("age.cancelled"), waiting: nil)
    }
    let problem: String
    switch DeclaredAge.parse(message, now: context.now) {
    case .success(let declared):
      return try Self.settle(age: declared.age(at: context.now), then: then, context: context, state: &state)
    case .failure(.unreadable):
      // A question instead of a date is answered, and the date of birth still asked for.
      guard message.contains(where: \.isNumber) || context.isTryAtAnswer(normalized, long: true) else {
        return .aside(self)
      }
      problem = "age.problem_unreadable"
    case .failure(.impossibleDate): problem = "age.problem_impossible"
    case .failure(.future): problem = "age.problem_future"
    case .failure(.implausible): problem = "age.problem_implausible"
    }
    return .reply(
      FlowReply("age.reask", values: ["problem": context.templateReply(problem)]), waiting: .flow(self))
  }

  /// The question again, after an answer to something else; with a word that a request
  /// waits on it, if one does.
  func question(context: FlowContext, state: SessionState) -> FlowReply {
    var template = "age.question_birth"
    if question == .country {
      template = state.region == nil ? "age.question_country" : "age.ask_country_in_region"
    }
    var reply = FlowReply(template, values: context.countryValues(state))
    if then != nil { reply.parts[0].lead = "age.request_waiting" }
    return reply
  }
}
