import Foundation

/// A write a flow asks for. The engine applies a turn's effects in order, in one store
/// transaction, once the turn is made (``Engine/apply(_:state:now:)``).
enum TurnEffect: Sendable {
  /// A consent given, withdrawn or refused; when `shared`, other open sessions of the same
  /// subject hear of it once it is stored.
  case consent(ConsentRecord, shared: Bool)
  /// The device's age answer, never made more lenient than what it holds.
  case deviceOutcome(AgeGateOutcome, deviceHash: String)
  /// The chat text kept for a subject is deleted, and the deletion logged with `reason`.
  case deleteTranscript(subject: String, reason: String)
  /// An automated decision for the audit trail besides the one the turn carries.
  case decision(Decision)
  /// A parental consent request written as it now stands (opened, verified, refused,
  /// revoked, deleted).
  case parentalConsent(ParentalConsentRecord)
  /// What is kept about a child's session is deleted (the age screen found a child, or
  /// under a parental consent `reference`), and the deletion logged with `reason` (not
  /// what was deleted).
  case deleteChildData(sessionId: String?, reference: String?, reason: String)
  /// The child's open session, if any, hears where its parental consent now stands, once
  /// the turn's writes are stored.
  case tellChild(sessionId: String?, status: String, scope: String?)
  /// A data subject saved as it now stands (made by a request whose code was right).
  case saveSubject(DataSubjectRecord)
  /// A consent/transcript subject key (a device hash, `session:` id) linked to a data
  /// subject, or the link undone.
  case link(subjectId: String, key: String)
  case unlink(subjectId: String, key: String)
  /// A data subject deleted: the one a cancelled request made.
  case deleteSubject(id: String)
  /// A request saved as told to its subject (its rejection's `notifiedAt` set).
  case requestTold(RequestRecord)
  /// A line of the audit log.
  case audit(AuditRecord)
}

extension SessionState {
  /// Asks for a write at the end of the turn.
  mutating func effect(_ effect: TurnEffect) {
    effects.append(effect)
  }
}
