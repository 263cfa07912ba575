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

/// An automated decision the turn made about the person, with what is needed to
/// understand and contest it (knowledge/decisions.yaml).
public struct Decision: Codable, Sendable, Equatable {
  /// What was decided about (`age_gate.parental_consent_required`, ...).
  public var kind: String
  /// The outcome in one word (`refused`, `deferred`, `locked`, ...).
  public var outcome: String
  /// The rule applied.
  public var rule: String?
  /// The logic of the rule in plain words.
  public var explanation: String
  /// The facts the rule used, without personal data (a country, an age band).
  public var facts: [String: String]?
  /// What follows for the person.
  public var consequence: String?
  /// How to contest it, including the route to a person.
  public var contest: String?

  public init(
    kind: String, outcome: String, explanation: String, rule: String? = nil, facts: [String: String]? = nil,
    consequence: String? = nil, contest: String? = nil
  ) {
    self.kind = kind
    self.outcome = outcome
    self.rule = rule
    self.explanation = explanation
    self.facts = facts
    self.consequence = consequence
    self.contest = contest
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
  /// The country whose rules apply (ISO 3166-1 alpha-2); absent while unknown, when the
  /// strictest rule applies.
  public var country: String?
  /// The age screen: absent until it runs, then `asking`, `adult`,
  /// `needs_parental_consent` or `below_service_age`.
  public var ageGate: String?
  /// A group of countries the person named without saying which one (`EU`, `EEA`,
  /// `Europe`: knowledge/jurisdictions.yaml): while `country` is absent, the strictest
  /// rule among its countries applies. Absent otherwise.
  public var region: String?
  /// A parent's consent for this session's child: `pending`, `verified`, `locked`,
  /// `expired`, `refused`, `revoked` or `deleted`.
  public var parentalConsent: String?
  /// True for a child's session: no transcript logging, no marketing, no profiling.
  public var childPrivacy: Bool?
  /// The person's consent per purpose, once any was given or refused: `given`, `refused`,
  /// `expired` or `refused_by_signal` (knowledge/consent.yaml).
  public var consents: [String: String]?
  /// Whether the text of this conversation is being kept (`session_logging`), once the
  /// person has made a choice about it.
  public var logging: Bool?

  public init(
    topic: String? = nil, choices: [String]? = nil, country: String? = nil, ageGate: String? = nil,
    region: String? = nil, parentalConsent: String? = nil, childPrivacy: Bool? = nil,
    consents: [String: String]? = nil, logging: Bool? = nil
  ) {
    self.topic = topic
    self.choices = choices
    self.country = country
    self.ageGate = ageGate
    self.region = region
    self.parentalConsent = parentalConsent
    self.childPrivacy = childPrivacy
    self.consents = consents
    self.logging = logging
  }
}
