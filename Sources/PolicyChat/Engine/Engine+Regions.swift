import Foundation

/// Places that are not countries, in the age screen: a part of a country stands for the
/// country, a group of countries is asked about and, until the person says which one,
/// judged by its strictest member (knowledge/jurisdictions.yaml, `regions:`).
extension Engine {
  /// The age rule that applies to the session now: its country's, else its region's
  /// strictest, else the strictest of all.
  func ageRule(_ state: SessionState) -> Jurisdictions.AgeRule {
    jurisdictions.rule(for: state.country, within: state.region)
  }

  /// The name of the group of countries the person named, while the country is unknown.
  func regionName(_ state: SessionState) -> String? {
    guard state.country == nil, let id = state.region else { return nil }
    return jurisdictions.regions[id]?.name
  }

  /// "Which country in the European Union do you live in?": the screen's question is
  /// asked again about the group the person named, and still waits.
  func askCountry(within place: Place, keeping step: PendingStep, state: inout SessionState) -> (Turn, Trace) {
    var values = countryValues(state)
    if case .region(let region) = place {
      values["region"] = region.name
      // Once the screen has decided, or the country is known, a group's rule must not reach it.
      if state.ageGate == nil, state.country == nil { state.region = region.id }
    }
    state.pending = step
    return gateTurn("age.ask_country_in_region", values: values, state: state)
  }

  /// "Thanks: I'll apply the rules for Germany", or, for a part of a country, which
  /// country that is ("California is part of the United States").
  func countryConfirmation(_ place: Place, state: SessionState) -> (String, [String: String]) {
    var values = countryValues(state)
    guard case .region(let part) = place else { return ("country.set", values) }
    values["part"] = part.name
    return ("country.set_part", values)
  }

  /// "I live in the EU" outside the screen's question: noted, and asked which country,
  /// unless the screen already decided (a group can then neither lift nor tighten it).
  func regionStated(
    _ place: Place, remainder: String, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    guard case .region(let region) = place, state.country == nil, state.ageGate == nil else {
      var values = countryValues(state)
      if case .region(let region) = place { values["region"] = region.name }
      return gateTurn("country.region_later", values: values, state: state)
    }
    state.region = region.id
    guard TextNormalizer.words(remainder).count >= 2 else {
      if state.pending == nil { state.pending = .country(then: nil) }
      return gateTurn("age.ask_country_in_region", values: countryValues(state), state: state)
    }
    let noted = composer.templateReply("country.region_noted", values: countryValues(state))
    var (turn, trace) = try converse(remainder, state: &state, now: now)
    turn.replies.insert(Reply(text: noted), at: 0)
    turn.state = state.snapshot
    return (turn, trace)
  }

  /// A message at the screen's country or date-of-birth question that is not an answer:
  /// it is answered as usual, and the question (with whatever waits on it) stays asked.
  /// Only a message that starts something of its own (another request, its own question)
  /// or settles the screen itself takes the question's place.
  func answerAside(
    _ message: String, keeping step: PendingStep, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    let outcome = state.ageGate
    var (turn, trace) = try converse(message, state: &state, now: now)
    guard state.pending == nil, state.ageGate == outcome else { return (turn, trace) }
    state.pending = step
    let values = countryValues(state)
    var question = "age.question_birth"
    var waiting: GatedAction?
    switch step {
    case .country(let action):
      question = state.region == nil ? "age.question_country" : "age.ask_country_in_region"
      waiting = action
    case .birth(let action):
      waiting = action
    default:
      break
    }
    var text = composer.templateReply(question, values: values)
    if waiting != nil { text = composer.templateReply("age.request_waiting") + " " + text }
    turn.replies.append(Reply(text: text))
    turn.state = state.snapshot
    return (turn, trace)
  }
}
