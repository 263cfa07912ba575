/// One answer of the assistant: the fixed shape that every front end shows.
///
/// Encodes as `{sessionId, intent, confidence, replies: [{text}], sources: [{id, title}],
/// automated: true, decision?, events: [], state: {}}`.
public struct Turn: Codable, Sendable, Equatable {
  public var sessionId: String
  public var intent: String
  public var confidence: Double
  public var replies: [Reply]
  public var sources: [SourceReference]
  /// Always true: every answer comes from the automated assistant.
  public var automated: Bool
  public var decision: Decision?
  public var events: [TurnEvent]
  public var state: TurnState

  public init(
    sessionId: String, intent: String, confidence: Double, replies: [Reply],
    sources: [SourceReference] = [], decision: Decision? = nil, events: [TurnEvent] = [],
    state: TurnState = TurnState()
  ) {
    self.sessionId = sessionId
    self.intent = intent
    self.confidence = confidence
    self.replies = replies
    self.sources = sources
    self.automated = true
    self.decision = decision
    self.events = events
    self.state = state
  }

  /// All reply texts, one paragraph each.
  public var text: String {
    replies.map(\.text).joined(separator: "\n\n")
  }
}

/// One message of a turn.
public struct Reply: Codable, Sendable, Equatable {
  public var text: String
  public init(text: String) { self.text = text }
}

/// A policy section an answer was taken from.
public struct SourceReference: Codable, Sendable, Equatable {
  public var id: String
  public var title: String
  public init(id: String, title: String) {
    self.id = id
    self.title = title
  }
}

/// An automated decision the turn made about the person (filled by the gates).
public struct Decision: Codable, Sendable, Equatable {
  public var kind: String
  public var outcome: String
  public var explanation: String
  public init(kind: String, outcome: String, explanation: String) {
    self.kind = kind
    self.outcome = outcome
    self.explanation = explanation
  }
}

/// Something that happened in the turn, for front ends and transcripts.
public struct TurnEvent: Codable, Sendable, Equatable {
  public var type: String
  public var data: [String: String]
  public init(type: String, data: [String: String] = [:]) {
    self.type = type
    self.data = data
  }
}

/// What the session knows after the turn.
public struct TurnState: Codable, Sendable, Equatable {
  /// The policy section the conversation is about, for follow-up questions.
  public var topic: String?
  /// The section ids offered when the assistant asked which one was meant.
  public var choices: [String]?
  public init(topic: String? = nil, choices: [String]? = nil) {
    self.topic = topic
    self.choices = choices
  }
}
