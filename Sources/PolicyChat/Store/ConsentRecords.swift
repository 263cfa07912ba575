import Foundation

/// One change to a person's consent for one purpose: given, withdrawn, refused, expired.
/// The trail of these is the proof of consent (GDPR Art 7(1)).
public struct ConsentRecord: StoredRecord {
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

  public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
    case subject, sessionId, purpose, granted, at, method, policyVersion, jurisdiction, expiresAt
  }

  public typealias Field = CodingKeys
  public static let table = "consent"
  public static let key: [Field] = []
}

/// One message of a conversation kept under `session_logging` consent, already redacted.
public struct TranscriptLine: StoredRecord {
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

  public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
    case sessionId, subject, sequence, at, speaker, text
  }

  public typealias Field = CodingKeys
  public static let table = "transcript_line"
  public static let key: [Field] = []
}
