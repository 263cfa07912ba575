import Foundation

/// A question for the policy: understood (Intents/), answered from its sections
/// (``AnswerComposer``), and remembered as the topic for follow-ups.
extension Engine {
  /// The policy's answer to a message, with how it was chosen.
  func answer(_ message: String, state: inout SessionState) -> (Turn, Trace) {
    var interpretation = understanding.interpret(
      message, topic: state.topic, topicTerms: state.topicTerms, choices: state.choices)
    let composed = composer.passageAnswer(&interpretation) ?? composer.compose(interpretation)
    if let topic = composed.topic {
      // The words that set a topic carry into its follow-ups; a follow-up or a choice
      // among offered topics keeps them rather than piling its own on top.
      if interpretation.followUpOf == nil && interpretation.method != .choice && !interpretation.analyzed.terms.isEmpty
      {
        state.topicTerms = interpretation.analyzed.terms
      }
      state.topic = topic
    }
    state.choices = interpretation.choices
    let trace = Trace(
      method: interpretation.method, intent: interpretation.intent, confidence: interpretation.confidence,
      rule: interpretation.rule,
      terms: interpretation.terms.map { term in
        term.alternatives.count > 1
          ? "\(term.word) [\(term.alternatives.dropFirst().joined(separator: " "))]" : term.word
      },
      corrections: interpretation.analyzed.corrections, followUpOf: interpretation.followUpOf,
      candidates: Array(interpretation.candidates.prefix(5)), sources: composed.sources.map(\.id))
    let turn = Turn(
      sessionId: state.id, intent: interpretation.intent, confidence: Self.rounded(interpretation.confidence),
      replies: composed.replies, sources: composed.sources, state: state.snapshot)
    return (turn, trace)
  }
}
