import Foundation

/// What a flow may use while it steps: the policy's data, the time of the turn, the
/// decisions' wording, and reads of the store. It offers no way to write; writes are
/// ``TurnEffect``s.
struct FlowContext: Sendable {
  /// Not private only so that a flow's own reads (FlowContext+*.swift) can reach the
  /// engine; flows go through those reads, never through this.
  let engine: Engine
  /// The time of the turn (the engine's clock).
  let now: Date

  init(engine: Engine, now: Date) {
    self.engine = engine
    self.now = now
  }

  var consentCatalog: ConsentCatalog { engine.consentCatalog }
  var catalog: IntentCatalog { engine.catalog }
  var understanding: Understanding { engine.understanding }
  var policyVersion: String { engine.knowledge.policy.version }

  /// An automated decision of `kind`, explained from knowledge/decisions.yaml with the
  /// session's facts (its country's rules, the code settings) and `extra`; `facts`, when
  /// given, replaces the facts recorded.
  func decision(
    _ kind: DecisionKind, outcome: String, state: SessionState, extra: [String: String] = [:],
    facts given: [String: String]? = nil
  ) -> Decision {
    let jurisdictions = engine.jurisdictions
    let rule = jurisdictions.rule(for: state.country, within: state.region)
    var values = countryValues(state)
    values["country"] =
      state.country.map { jurisdictions.name(of: $0) } ?? regionName(state).map {
        "an unknown country of \($0) (the strictest of their rules)"
      }
      ?? "an unknown country (strictest rule)"
    values["maxAttempts"] = String(engine.gates.maxAttempts)
    values["lifetime"] = engine.gates.codeLifetimeText
    values.merge(extra) { _, new in new }
    var facts = ["country": state.country ?? "unknown", "consentAge": String(rule.consentAge)]
    if state.country == nil, let region = state.region { facts["region"] = region }
    facts["serviceAge"] = String(rule.serviceAge)
    if let answer = extra["answer"] { facts["answer"] = answer }
    if let given { facts = given }
    let composer = engine.composer
    guard let entry = engine.decisions.entries[kind.rawValue] else {
      // decisions.yaml lists every kind the engine makes (a test checks); this is only reached
      // if a deployment removed one.
      return Decision(
        kind: kind.rawValue, outcome: outcome, explanation: "No explanation is configured for this decision.")
    }
    return Decision(
      kind: kind.rawValue, outcome: outcome, explanation: composer.render(entry.logic, values: values),
      rule: composer.render(entry.rule, values: values), facts: facts,
      consequence: composer.render(entry.consequence, values: values),
      contest: composer.render(entry.contest, values: values))
  }

  /// Whether a message that is not the answer awaited is still a try at one (asked again)
  /// rather than something else (answered as usual): short, and not something the
  /// assistant recognises, like "good night" or a question about the policy. `long`:
  /// however many words (a date the screen could not read).
  func isTryAtAnswer(_ normalized: String, long: Bool = false) -> Bool {
    guard long || GateAnswers.wordCount(normalized) <= 4, understanding.ruleIntent(normalized) == nil else {
      return false
    }
    let reading = understanding.interpret(normalized, topic: nil, topicTerms: [], choices: [])
    return reading.intent == "fallback"
  }

  /// How many lines of chat text are kept for a subject.
  func keptLines(subject: String) throws(EngineError) -> Int {
    try engine.store.transcriptLineCount(subject: subject)
  }

  /// A receipt of the consents in force (Kantara v1.1), or nil when none is.
  func consentReceipt(state: SessionState) -> ConsentReceipt? {
    engine.consentReceipt(state: state, now: now)
  }
}
