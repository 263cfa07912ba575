/// What the engine remembers about one open session, in memory only.
struct SessionState: Sendable {
  let id: String
  /// The section the conversation is about, for follow-ups.
  var topic: String?
  /// The words that led to ``topic``, carried into follow-ups.
  var topicTerms: [QueryTerm] = []
  /// Intents offered in a clarification question, in the order shown.
  var choices: [String] = []
  var lastTrace: Trace?
  var turnCount = 0

  var snapshot: TurnState {
    TurnState(topic: topic, choices: choices.isEmpty ? nil : choices)
  }
}
