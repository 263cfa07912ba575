import Foundation

/// A person who made a verified request: a pseudonymous id and the e-mail address they
/// proved they hold. After an erasure only the id and the time remain (the tombstone).
public struct DataSubjectRecord: Sendable, Equatable, Codable {
  public var id: String
  public var email: String?
  public var createdAt: Date
  /// A restriction is in force: nothing more is processed or kept until it is lifted.
  public var restricted: Bool
  public var erasedAt: Date?

  public init(id: String, email: String? = nil, createdAt: Date, restricted: Bool = false, erasedAt: Date? = nil) {
    self.id = id
    self.email = email
    self.createdAt = createdAt
    self.restricted = restricted
    self.erasedAt = erasedAt
  }
}

/// A rights request and where it stands.
public struct RequestRecord: Sendable, Equatable, Codable {
  /// `RQ-` and six letters and digits.
  public var reference: String
  public var subjectId: String
  /// The intent without `request.`: `access`, `erasure`, ...
  public var type: String
  /// `open`, `completed`, `rejected`.
  public var status: String
  /// `gdpr` or `popia`.
  public var regime: String
  public var country: String?
  public var receivedAt: Date
  /// When it is due under its regime, counted from receipt.
  public var dueAt: Date
  /// The new due date after the one extension its regime allows (not when it was extended;
  /// the audit log has that).
  public var extendedAt: Date?
  public var extensionReason: String?
  public var closedAt: Date?
  /// Why it was rejected, or what was done.
  public var outcome: String?
  /// What the flow needed to keep with the request (the correction asked for, a complaint).
  public var details: String?
  /// The subject was told of a rejection.
  public var notifiedAt: Date?

  public init(
    reference: String, subjectId: String, type: String, status: String, regime: String, country: String? = nil,
    receivedAt: Date, dueAt: Date, extendedAt: Date? = nil, extensionReason: String? = nil, closedAt: Date? = nil,
    outcome: String? = nil, details: String? = nil, notifiedAt: Date? = nil
  ) {
    self.reference = reference
    self.subjectId = subjectId
    self.type = type
    self.status = status
    self.regime = regime
    self.country = country
    self.receivedAt = receivedAt
    self.dueAt = dueAt
    self.extendedAt = extendedAt
    self.extensionReason = extensionReason
    self.closedAt = closedAt
    self.outcome = outcome
    self.details = details
    self.notifiedAt = notifiedAt
  }
}

/// One action on the request queue, append-only: who did what, when.
public struct AuditRecord: StoredRecord {
  public var at: Date
  /// `subject`, `engine`, or the privacy officer's name.
  public var actor: String
  public var action: String
  public var reference: String?
  public var detail: String

  public init(at: Date, actor: String, action: String, reference: String? = nil, detail: String) {
    self.at = at
    self.actor = actor
    self.action = action
    self.reference = reference
    self.detail = detail
  }

  public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
    case at, actor, action, reference, detail
  }

  public typealias Field = CodingKeys
  public static let table = "audit_log"
  public static let key: [Field] = []
  public static let appendOnly = true
}

/// A data subject as stored: the address sealed (`enc1:`), and beside it its blind index,
/// a keyed hash by which the engine finds the subject again (``DataSubjectRecord`` is the
/// same subject with the address opened).
public struct StoredSubject: StoredRecord {
  public var id: String
  public var email: String?
  public var emailIndex: String?
  public var createdAt: Date
  public var restricted: Bool
  public var erasedAt: Date?

  public init(
    id: String, email: String? = nil, emailIndex: String? = nil, createdAt: Date, restricted: Bool,
    erasedAt: Date? = nil
  ) {
    self.id = id
    self.email = email
    self.emailIndex = emailIndex
    self.createdAt = createdAt
    self.restricted = restricted
    self.erasedAt = erasedAt
  }

  public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
    case id, email, emailIndex, createdAt, restricted, erasedAt
  }

  public typealias Field = CodingKeys
  public static let table = "data_subject"
  public static let key: [Field] = [.id]
}

/// That a consent/transcript subject key (a device's hash, `session:` and an id) is this
/// data subject.
public struct SubjectLinkRecord: StoredRecord {
  public var subjectId: String
  public var key: String

  public init(subjectId: String, key: String) {
    self.subjectId = subjectId
    self.key = key
  }

  public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
    case subjectId, key
  }

  public typealias Field = CodingKeys
  public static let table = "subject_link"
  public static let key: [Field] = [.subjectId, .key]
}

/// A rights request as stored: ``RequestRecord`` and the session it came from, which the
/// export of the subject's data follows and an erasure forgets.
public struct StoredRequest: StoredRecord {
  public var reference: String
  public var subjectId: String
  public var sessionId: String?
  public var type: String
  public var status: String
  public var regime: String
  public var country: String?
  public var receivedAt: Date
  public var dueAt: Date
  public var extendedAt: Date?
  public var extensionReason: String?
  public var closedAt: Date?
  public var outcome: String?
  public var details: String?
  public var notifiedAt: Date?

  public init(_ request: RequestRecord, sessionId: String? = nil) {
    reference = request.reference
    subjectId = request.subjectId
    self.sessionId = sessionId
    type = request.type
    status = request.status
    regime = request.regime
    country = request.country
    receivedAt = request.receivedAt
    dueAt = request.dueAt
    extendedAt = request.extendedAt
    extensionReason = request.extensionReason
    closedAt = request.closedAt
    outcome = request.outcome
    details = request.details
    notifiedAt = request.notifiedAt
  }

  /// The request without where it came from.
  public var request: RequestRecord {
    RequestRecord(
      reference: reference, subjectId: subjectId, type: type, status: status, regime: regime, country: country,
      receivedAt: receivedAt, dueAt: dueAt, extendedAt: extendedAt, extensionReason: extensionReason,
      closedAt: closedAt, outcome: outcome, details: details, notifiedAt: notifiedAt)
  }

  public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
    case reference, subjectId, sessionId, type, status, regime, country, receivedAt, dueAt, extendedAt,
      extensionReason, closedAt, outcome, details, notifiedAt
  }

  public typealias Field = CodingKeys
  public static let table = "request"
  public static let key: [Field] = [.reference]
}
