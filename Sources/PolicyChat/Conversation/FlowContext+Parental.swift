import Foundation

/// What the parental consent flows (``ParentalConsentFlow``, ``ParentFlow``) read: the
/// consent requests and their codes, the settings of knowledge/age-gate.yaml, and the
/// wording of their replies.
extension FlowContext {
  var gates: GateSettings { engine.gates }
  /// The injected random source, for a new consent's reference.
  var random: any RandomSource { engine.random }

  /// A consent request by its reference (PC-...).
  func parentalConsent(reference: String) throws(EngineError) -> ParentalConsentRecord? {
    try engine.store.parentalConsent(reference: reference)
  }

  /// The latest code issued for a consent request and purpose.
  func latestChallenge(reference: String, purpose: CodePurpose) throws(EngineError) -> ChallengeRecord? {
    try engine.store.latestChallenge(reference: reference, purpose: purpose.rawValue)
  }

  /// How many records a deletion of a child's session data will remove: read before the
  /// deletion, which is an effect applied after the turn, so that the parent's reply can
  /// say how many.
  func childRecordCount(sessionId: String?) throws(EngineError) -> Int {
    guard let sessionId else { return 0 }
    return try engine.store.sessionDataCount(sessionId: sessionId)
  }

  /// The one-time-code verifier. Unlike every other read here it writes: issuing a code and
  /// checking one spend budgets and count tries, and each must read and write in one
  /// transaction of its own so that racing processes cannot slip codes or guesses between
  /// the check and the count. It cannot wait for the turn's effects.
  var verifier: Verifier { engine.verifier }

  /// A reply template (intents/*.yaml) filled with `values`.
  func templateReply(_ intent: String, values: [String: String] = [:]) -> String {
    engine.composer.templateReply(intent, values: values)
  }

  /// A template string of the knowledge files filled with `values`.
  func render(_ template: String, values: [String: String]) -> String {
    engine.composer.render(template, values: values)
  }

  /// A spent code budget, as a reply with its decision.
  func codeBudgetReply(
    _ refusal: CodeBudgetRefusal, kind: DecisionKind, intent: String, state: SessionState
  ) -> FlowReply {
    engine.codeBudgetReply(refusal, kind: kind, intent: intent, state: state)
  }

  /// A reference's day of codes spent, as a reply with its decision.
  func codeLimitReply(
    _ refusal: CodeLimitRefusal, kind: DecisionKind, intent: String, values: [String: String],
    state: SessionState
  ) -> FlowReply {
    engine.codeLimitReply(refusal, kind: kind, intent: intent, values: values, state: state)
  }
}
