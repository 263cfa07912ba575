import Foundation

/// An automated decision as stored for the audit trail: what was decided, under which
/// rule, and the facts used. Never the person's date of birth or contact details.
public struct DecisionRecord: StoredRecord {
  public var sessionId: String
  public var at: Date
  public var kind: String
  public var outcome: String
  public var rule: String
  /// The facts as `key=value` pairs separated by `; `.
  public var facts: String

  public init(sessionId: String, at: Date, kind: String, outcome: String, rule: String, facts: String) {
    self.sessionId = sessionId
    self.at = at
    self.kind = kind
    self.outcome = outcome
    self.rule = rule
    self.facts = facts
  }

  public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
    case sessionId, at, kind, outcome, rule, facts
  }

  public typealias Field = CodingKeys
  public static let table = "decision"
  public static let key: [Field] = []
}

/// A device's latest answer to the age screen, by the keyed hash of its id.
public struct DeviceAnswerRecord: StoredRecord {
  public var deviceHash: String
  public var outcome: String
  public var at: Date

  public init(deviceHash: String, outcome: String, at: Date) {
    self.deviceHash = deviceHash
    self.outcome = outcome
    self.at = at
  }

  public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
    case deviceHash, outcome, at
  }

  public typealias Field = CodingKeys
  public static let table = "device_answer"
  public static let key: [Field] = [.deviceHash]
}

/// A parent's or guardian's consent for a child, from the request to its end.
public struct ParentalConsentRecord: StoredRecord {
  /// `PC-` and six letters and digits; what the parent types to find it.
  public var reference: String
  /// The child's session that asked; emptied when the child's data is deleted.
  public var childSessionId: String?
  /// The child's device, hashed, so that the consent follows the child to a new session.
  public var childDeviceHash: String?
  /// The parent's e-mail address, kept for this consent alone and removed when it ends.
  /// Sealed (`enc1:`) in the store: the engine seals it before it is written.
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

  public init(
    reference: String, childSessionId: String? = nil, childDeviceHash: String? = nil, parentContact: String? = nil,
    scope: String,
    detail: String? = nil, status: String, method: String? = nil, hostMethod: String? = nil, country: String? = nil,
    policyVersion: String,
    requestedAt: Date, verifiedAt: Date? = nil, verifiedBySession: String? = nil, endedAt: Date? = nil
  ) {
    self.reference = reference
    self.childSessionId = childSessionId
    self.childDeviceHash = childDeviceHash
    self.parentContact = parentContact
    self.scope = scope
    self.detail = detail
    self.status = status
    self.method = method
    self.hostMethod = hostMethod
    self.country = country
    self.policyVersion = policyVersion
    self.requestedAt = requestedAt
    self.verifiedAt = verifiedAt
    self.verifiedBySession = verifiedBySession
    self.endedAt = endedAt
  }

  public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
    case reference, childSessionId, childDeviceHash, parentContact, scope, detail, status, method, hostMethod,
      country, policyVersion, requestedAt, verifiedAt, verifiedBySession, endedAt
  }

  public typealias Field = CodingKeys
  public static let table = "parental_consent"
  public static let key: [Field] = [.reference]
}

/// A one-time code for a parent (later also for identity checks): only its salted hash
/// is kept.
public struct ChallengeRecord: StoredRecord {
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

  public init(
    id: String, purpose: String, reference: String, salt: String, codeHash: String, issuedAt: Date, expiresAt: Date,
    attempts: Int, maxAttempts: Int, status: String
  ) {
    self.id = id
    self.purpose = purpose
    self.reference = reference
    self.salt = salt
    self.codeHash = codeHash
    self.issuedAt = issuedAt
    self.expiresAt = expiresAt
    self.attempts = attempts
    self.maxAttempts = maxAttempts
    self.status = status
  }

  public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
    case id, purpose, reference, salt, codeHash, issuedAt, expiresAt, attempts, maxAttempts, status
  }

  public typealias Field = CodingKeys
  public static let table = "challenge"
  public static let key: [Field] = [.id]
}

/// One unit of a one-time-code budget spent (knowledge/verification.yaml): a code sent or
/// a wrong code typed, under one key it counts against. Keys are keyed hashes and ids,
/// never an address.
public struct BudgetSpendRecord: StoredRecord {
  public var key: String
  public var at: Date

  public init(key: String, at: Date) {
    self.key = key
    self.at = at
  }

  public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
    case key, at
  }

  public typealias Field = CodingKeys
  public static let table = "code_budget"
  public static let key: [Field] = []
}

/// That some personal data was deleted, why, and how much: what the audit needs to show
/// the deletion happened, and nothing of what was deleted.
public struct DeletionRecord: StoredRecord {
  public var at: Date
  public var reference: String?
  public var reason: String
  public var detail: String

  public init(at: Date, reference: String? = nil, reason: String, detail: String) {
    self.at = at
    self.reference = reference
    self.reason = reason
    self.detail = detail
  }

  public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
    case at, reference, reason, detail
  }

  public typealias Field = CodingKeys
  public static let table = "deletion_log"
  public static let key: [Field] = []
}
