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

  /// An automated decision of `kind`, explained from knowledge/decisions.yaml.
  func decision(
    _ kind: DecisionKind, outcome: String, state: SessionState, extra: [String: String] = [:],
    facts: [String: String]? = nil
  ) -> Decision {
    engine.makeDecision(kind, outcome: outcome, state: state, extra: extra, facts: facts)
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
