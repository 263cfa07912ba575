import Foundation

/// One change to a person's consent for one purpose: given, withdrawn, refused, expired.
/// The trail of these is the proof of consent (GDPR Art 7(1)).
public struct ConsentRecord: Sendable, Equatable, Codable {
  /// Who: the keyed hash of the host's device id, or `session:` and the session id.
  public var subject: String
  public var sessionId: String
  public var purpose: String
  public var granted: Bool
  public var at: Date
  /// How: `chat`, `command`, `protocol`, `signal:dnt`, `signal:gpc`, `expiry`, `child`.
  public var method: String
  public var policyVersion: String
  /// The country whose rules applied, or `unknown`.
  public var jurisdiction: String
  /// When a given consent lapses; nil for anything but a grant.
  public var expiresAt: Date?

  public init(
    subject: String, sessionId: String, purpose: String, granted: Bool, at: Date, method: String,
    policyVersion: String, jurisdiction: String, expiresAt: Date?
  ) {
    self.subject = subject
    self.sessionId = sessionId
    self.purpose = purpose
    self.granted = granted
    self.at = at
    self.method = method
    self.policyVersion = policyVersion
    self.jurisdiction = jurisdiction
    self.expiresAt = expiresAt
  }
}

/// One message of a conversation kept under `session_logging` consent, already redacted.
public struct TranscriptLine: Sendable, Equatable, Codable {
  public var sessionId: String
  public var subject: String
  public var sequence: Int
  public var at: Date
  /// `person` or `assistant`.
  public var speaker: String
  public var text: String

  public init(sessionId: String, subject: String, sequence: Int, at: Date, speaker: String, text: String) {
    self.sessionId = sessionId
    self.subject = subject
    self.sequence = sequence
    self.at = at
    self.speaker = speaker
    self.text = text
  }
}

/// Everything stored about one session, for an export.
public struct SessionExport: Sendable, Equatable, Codable {
  public var sessionId: String
  public var openedAt: Date?
  public var closedAt: Date?
  public var country: String?
  public var locale: String?
  public var turns: [ExportedTurn]
  public var transcript: [TranscriptLine]
  public var consents: [ConsentRecord]
  public var decisions: [ExportedDecision]

  public struct ExportedTurn: Sendable, Equatable, Codable {
    public var sequence: Int
    public var at: Date
    public var intent: String
    public var method: String
    public var sources: String
  }

  public struct ExportedDecision: Sendable, Equatable, Codable {
    public var at: Date
    public var kind: String
    public var outcome: String
    public var rule: String
    public var facts: String
  }
}

/// The periods after which `purge` deletes each kind of record, as cut-off times.
public struct PurgeCutoffs: Sendable {
  public var sessions: Date
  public var turns: Date
  public var transcripts: Date
  public var consents: Date
  public var decisions: Date
  public var deviceAnswers: Date
  public var parentalConsentsEnded: Date
  public var challenges: Date
  public var deletionLog: Date
  /// Code budgets spent before it no longer count (knowledge/verification.yaml's window).
  public var codeBudgets: Date = .distantPast
  /// Consents still in force are never purged, whatever their age.
  public var now: Date
}
