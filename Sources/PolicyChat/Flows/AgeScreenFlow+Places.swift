import Foundation

/// Where the person lives, for the age screen: a country's rules apply; a part of a
/// country stands for the country; a group of countries is asked about and, until the
/// person says which one, judged by its strictest member (knowledge/jurisdictions.yaml,
/// `regions:`).
extension AgeScreenFlow {
  /// What a statement of a place comes to, and whether the rest of the message the place
  /// was stated in is to be read as well ("I'm in Germany, how long do you keep chats?").
  struct Statement {
    var outcome: FlowOutcome
    var readsRest: Bool
  }

  /// "I'm in Germany" (in a message or a form): the country's rules apply from now on, but
  /// never lift an under-age outcome already given.
  static func stated(
    _ place: Place, remainder: String, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> Statement {
    guard let code = place.country else {
      return regionStated(place, remainder: remainder, context: context, state: &state)
    }
    state.countryAsked = true
    let jurisdictions = context.jurisdictions
    if let current = state.ageGate, current != .adult {
      let lifted = state.age.map { AgeGateOutcome(age: $0, rule: jurisdictions.rule(for: code)) }
      if state.ageGateFromDevice || lifted.map({ $0.strictness < current.strictness }) == true {
        let values = [
          "country": jurisdictions.name(of: code), "outcome": context.outcomeText(current),
          "where": state.ageGateFromDevice ? "on this device" : "in this session",
        ]
        let named = jurisdictions.rule(for: code)
        let decision = context.decision(
          .countryChangeRefused, outcome: "refused", state: state, extra: values,
          facts: [
            "country": state.country ?? "unknown",
            "consentAge": String(context.ageRule(state).consentAge),
            "countryNamed": code, "consentAgeThere": String(named.consentAge),
          ])
        return Statement(
          outcome: .reply(FlowReply("age.country_change_refused", values: values, decision: decision), waiting: nil),
          readsRest: false)
      }
    }
    state.country = code
    state.region = nil
    if let age = state.age, let current = state.ageGate {
      let outcome = AgeGateOutcome(age: age, rule: jurisdictions.rule(for: code))
      if outcome.strictness > current.strictness {
        state.ageGate = outcome
        let standing = try becameChild(
          outcome, context: context, state: &state, reason: "age screen: under the age of the stated country")
        state.parentOffered = true
        return Statement(
          outcome: .reply(childOutcome(standing, context: context, state: state, thanks: false), waiting: nil),
          readsRest: false)
      }
    }
    return Statement(
      outcome: .reply(confirmation(of: place, context: context, state: state), waiting: nil), readsRest: true)
  }

  /// "I live in the EU" outside the screen's question: noted, and asked which country,
  /// unless the screen already decided (a group can then neither lift nor tighten it).
  static func regionStated(
    _ place: Place, remainder: String, context: FlowContext, state: inout SessionState
  ) -> Statement {
    guard case .region(let region) = place, state.country == nil, state.ageGate == nil else {
      var values = context.countryValues(state)
      if case .region(let region) = place { values["region"] = region.name }
      return Statement(
        outcome: .reply(FlowReply("country.region_later", values: values), waiting: nil), readsRest: false)
    }
    state.region = region.id
    guard TextNormalizer.words(remainder).count >= 2 else {
      let asking = state.pending == nil ? PendingStep.flow(Self(question: .country, then: nil)) : nil
      return Statement(
        outcome: .reply(FlowReply("age.ask_country_in_region", values: context.countryValues(state)), waiting: asking),
        readsRest: false)
    }
    return Statement(
      outcome: .reply(FlowReply("country.region_noted", values: context.countryValues(state)), waiting: nil),
      readsRest: true)
  }

  /// "Which country in the European Union do you live in?": the screen's question is
  /// asked again about the group the person named, and still waits.
  static func askCountry(
    within place: Place, then: GatedAction?, context: FlowContext, state: inout SessionState
  ) -> FlowOutcome {
    var values = context.countryValues(state)
    if case .region(let region) = place {
      values["region"] = region.name
      // Once the screen has decided, or the country is known, a group's rule must not reach it.
      if state.ageGate == nil, state.country == nil { state.region = region.id }
    }
    return .reply(
      FlowReply("age.ask_country_in_region", values: values), waiting: .flow(Self(question: .country, then: then)))
  }

  /// "Thanks: I'll apply the rules for Germany", or, for a part of a country, which
  /// country that is ("California is part of the United States").
  static func confirmation(of place: Place, context: FlowContext, state: SessionState) -> FlowReply {
    var values = context.countryValues(state)
    guard case .region(let part) = place else { return FlowReply("country.set", values: values) }
    values["part"] = part.name
    return FlowReply("country.set_part", values: values)
  }

  /// The place a statement like "I'm in Germany" (or "in California", "in the EU") names,
  /// and the message without it.
  static func place(statedIn normalized: String, context: FlowContext) -> (Place, String)? {
    let jurisdictions = context.jurisdictions
    for capture in context.catalog.cueCaptures("country_statement", group: "country", in: normalized) {
      let words = TextNormalizer.words(capture.text)
      for count in stride(from: min(4, words.count), through: 1, by: -1) {
        guard let place = jurisdictions.place(named: words.prefix(count).joined(separator: " ")) else { continue }
        let before = String(normalized[..<capture.matchStart])
        let after =
          words.dropFirst(count).joined(separator: " ") + " "
          + String(normalized[capture.start...].dropFirst(capture.text.count))
        return (place, (before + " " + after).trimmingCharacters(in: .whitespaces))
      }
    }
    return nil
  }

  /// The answer to "which country do you live in?": a name, a code or a statement; a part
  /// of a country or a group of countries as well ("California", "the EU").
  static func place(answering message: String, normalized: String, context: FlowContext) -> Place? {
    let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
    let jurisdictions = context.jurisdictions
    if trimmed.count == 2, let code = jurisdictions.countryCode(trimmed) { return .country(code) }
    if let (place, _) = place(statedIn: normalized, context: context) { return place }
    return jurisdictions.place(named: normalized)
  }
}
