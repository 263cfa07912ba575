import Foundation

/// What the age screen (``AgeScreenFlow``) reads: the rules of knowledge/jurisdictions.yaml
/// for the session's country or region, the device's remembered answer, and how its
/// outcomes and decisions are worded.
extension FlowContext {
  var jurisdictions: Jurisdictions { engine.jurisdictions }

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

  /// The placeholders the screen's replies share: the country (or region) and its ages.
  func countryValues(_ state: SessionState) -> [String: String] {
    let rule = ageRule(state)
    let name = state.country.map { jurisdictions.name(of: $0) }
    let region = regionName(state)
    return [
      "country": name ?? "your country",
      "rules": name.map { "Under the rules for \($0)" }
        ?? region.map { "Under the strictest rules of the countries of \($0) (I don't know which one you live in)" }
        ?? "Under the strictest rules that could apply (I don't know which country you live in)",
      "consentAge": String(rule.consentAge), "serviceAge": String(rule.serviceAge),
      "region": region ?? "your region",
    ]
  }

  /// The outcome in a sentence, from intents/gates.yaml.
  func outcomeText(_ outcome: AgeGateOutcome) -> String {
    templateReply("age.outcome_" + outcome.stateName)
  }

  /// The outcome the device's memory holds, if any (age-gate.yaml `deviceMemoryDays`).
  func storedDeviceOutcome(_ deviceHash: String) throws(EngineError) -> AgeGateOutcome? {
    try engine.storedDeviceOutcome(deviceHash, now: now)
  }

}
