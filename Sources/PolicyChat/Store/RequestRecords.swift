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
}

/// One action on the request queue, append-only: who did what, when.
public struct AuditRecord: Sendable, Equatable, Codable {
  public var at: Date
  /// `subject`, `engine`, or the privacy officer's name.
  public var actor: String
  public var action: String
  public var reference: String?
  public var detail: String
}
