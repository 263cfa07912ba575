import Foundation

/// An automated decision as stored for the audit trail: what was decided, under which
/// rule, and the facts used. Never the person's date of birth or contact details.
public struct DecisionRecord: Sendable, Equatable {
  public var sessionId: String
  public var at: Date
  public var kind: String
  public var outcome: String
  public var rule: String
  /// The facts as `key=value` pairs separated by `; `.
  public var facts: String
}

/// A parent's or guardian's consent for a child, from the request to its end.
public struct ParentalConsentRecord: Sendable, Equatable {
  /// `PC-` and six letters and digits; what the parent types to find it.
  public var reference: String
  /// The child's session that asked; emptied when the child's data is deleted.
  public var childSessionId: String?
  /// The child's device, hashed, so that the consent follows the child to a new session.
  public var childDeviceHash: String?
  /// The parent's e-mail address, kept for this consent alone and removed when it ends.
  public var parentContact: String?
  /// What is consented to (`rights_request`) and, for a request, which right.
  public var scope: String
  public var detail: String?
  /// `pending`, `verified`, `refused`, `revoked` or `deleted`.
  public var status: String
  /// `email_plus` or `host_verified`.
  public var method: String?
  /// For `host_verified`: how the host verified the parent (`card`, `id_document`, ...).
  public var hostMethod: String?
  public var country: String?
  public var policyVersion: String
  public var requestedAt: Date
  public var verifiedAt: Date?
  /// The parent's session that gave the consent.
  public var verifiedBySession: String?
  public var endedAt: Date?
}

/// A one-time code for a parent (later also for identity checks): only its salted hash
/// is kept.
public struct ChallengeRecord: Sendable, Equatable {
  public var id: String
  public var purpose: String
  public var reference: String
  public var salt: String
  public var codeHash: String
  public var issuedAt: Date
  public var expiresAt: Date
  public var attempts: Int
  public var maxAttempts: Int
  /// `open`, `used`, `locked` or `expired`.
  public var status: String
}

/// That some personal data was deleted, why, and how much: what the audit needs to show
/// the deletion happened, and nothing of what was deleted.
public struct DeletionRecord: Sendable, Equatable {
  public var at: Date
  public var reference: String?
  public var reason: String
  public var detail: String
}
