import Foundation

/// Where the engine keeps its records. SQLite is the embedded default
/// (``SQLiteSessionStore``); a deployment that outgrows one machine can implement this
/// protocol over another database without touching the engine.
public protocol SessionStore: Sendable {
  func sessionOpened(_ record: SessionRecord) throws(EngineError)
  func turnTaken(_ record: TurnRecord) throws(EngineError)
  func sessionClosed(id: String, at: Date) throws(EngineError)

  // The age gate and parental consent.
  func decisionMade(_ record: DecisionRecord) throws(EngineError)
  /// The outcome of an under-age answer given on a device since `since`, if any.
  func deviceOutcome(deviceHash: String, since: Date) throws(EngineError) -> String?
  func deviceAnswered(deviceHash: String, outcome: String, at: Date) throws(EngineError)
  /// A keyed hash of a host-supplied device id, so that the id itself is never stored.
  func hashDeviceId(_ deviceId: String) throws(EngineError) -> String
  func saveParentalConsent(_ record: ParentalConsentRecord) throws(EngineError)
  func parentalConsent(reference: String) throws(EngineError) -> ParentalConsentRecord?
  func parentalConsents(deviceHash: String) throws(EngineError) -> [ParentalConsentRecord]
  /// Pending consents requested before `before`: their codes have lapsed unanswered.
  func pendingParentalConsents(requestedBefore before: Date) throws(EngineError) -> [ParentalConsentRecord]
  func saveChallenge(_ record: ChallengeRecord) throws(EngineError)
  func challenge(id: String) throws(EngineError) -> ChallengeRecord?
  /// The newest challenge for a reference and purpose.
  func latestChallenge(reference: String, purpose: String) throws(EngineError) -> ChallengeRecord?
  /// When each code for a reference was made since `since`, oldest first, whatever became
  /// of them.
  func challengesIssued(reference: String, since: Date) throws(EngineError) -> [Date]
  /// When each budget key (knowledge/verification.yaml) was spent after `since`, oldest
  /// first, by key; a key never spent maps to an empty list.
  func budgetSpent(keys: [String], since: Date) throws(EngineError) -> [String: [Date]]
  /// Spends one unit of each key at `at`. Budgets are not the person's data: no erasure
  /// removes them, only ``purge(_:dryRun:)`` once they are past the window.
  func spendBudget(keys: [String], at: Date) throws(EngineError)
  /// Deletes what a session stored (its turns and kept chat text) and forgets its country
  /// and locale;
  /// returns the number of rows deleted.
  func deleteSessionData(sessionId: String) throws(EngineError) -> Int
  /// Forgets a device's under-age answer; returns the number of rows deleted.
  func forgetDevice(deviceHash: String) throws(EngineError) -> Int
  func dataDeleted(_ record: DeletionRecord) throws(EngineError)

  // Consent and the chat text kept under it.
  func consentRecorded(_ record: ConsentRecord) throws(EngineError)
  /// Every consent record of a subject, oldest first.
  func consents(subject: String) throws(EngineError) -> [ConsentRecord]
  /// The latest consent record of a subject for one purpose, if any.
  func latestConsent(subject: String, purpose: String) throws(EngineError) -> ConsentRecord?
  func transcriptLineKept(_ line: TranscriptLine) throws(EngineError)
  func transcriptLineCount(subject: String) throws(EngineError) -> Int
  /// Deletes the chat text kept for a subject; returns how many lines.
  func deleteTranscript(subject: String) throws(EngineError) -> Int
  /// Everything stored about a session.
  func export(sessionId: String) throws(EngineError) -> SessionExport
  /// Deletes (or, with `dryRun`, counts) what is past its retention period, by category.
  func purge(_ cutoffs: PurgeCutoffs, dryRun: Bool) throws(EngineError) -> [String: Int]

  // Rights requests.
  func subject(email: String) throws(EngineError) -> DataSubjectRecord?
  func subject(id: String) throws(EngineError) -> DataSubjectRecord?
  /// The subject a consent/transcript subject key (a device hash, `session:` id) belongs to.
  func subject(linkedTo key: String) throws(EngineError) -> DataSubjectRecord?
  func saveSubject(_ record: DataSubjectRecord) throws(EngineError)
  func link(subjectId: String, key: String) throws(EngineError)
  func unlink(subjectId: String, key: String) throws(EngineError)
  /// Deletes a subject record and its links (only for one no request refers to).
  func deleteSubject(id: String) throws(EngineError)
  func saveRequest(_ record: RequestRecord, sessionId: String?) throws(EngineError)
  func request(reference: String) throws(EngineError) -> RequestRecord?
  /// Requests in order of their due date, earliest first.
  func requests(_ filter: RequestFilter) throws(EngineError) -> [RequestRecord]
  /// Appends to the audit log, which cannot be changed afterwards.
  func audit(_ record: AuditRecord) throws(EngineError)
  func auditLog(reference: String?) throws(EngineError) -> [AuditRecord]
  /// Points a verification code at the request it verified.
  func retag(challengeId: String, reference: String) throws(EngineError)
  func subjectExport(subjectId: String, at now: Date) throws(EngineError) -> SubjectExport?
  /// Deletes everything of a subject but the tombstone; returns the rows deleted.
  func erase(subjectId: String, keeping reference: String, at now: Date) throws(EngineError) -> Int
  func setRestricted(subjectId: String, _ restricted: Bool) throws(EngineError)

  /// Runs `body` so that the store calls it makes are kept all together or not at all, even
  /// if the process dies part-way (a request recorded but not carried out would stay open).
  func atomically<T>(_ body: () throws(EngineError) -> T) throws(EngineError) -> T

  /// Overwrites what deleted records left behind (old copies of their pages in a journal,
  /// free space), so that the deleted data cannot be read from the files; the engine calls
  /// it after a deletion of personal data is committed, outside any transaction.
  func reclaimDeletedSpace() throws(EngineError)
  /// Ends the store's use of its database, leaving nothing of deleted data in its files; no
  /// call may follow.
  func closeDatabase() throws(EngineError)
}

extension SessionStore {
  public func latestConsent(subject: String, purpose: String) throws(EngineError) -> ConsentRecord? {
    try consents(subject: subject).last { $0.purpose == purpose }
  }

  /// A store without transactions runs `body` as it is.
  public func atomically<T>(_ body: () throws(EngineError) -> T) throws(EngineError) -> T {
    try body()
  }

  /// A store that leaves no copies of deleted records (or cannot reach them) does nothing.
  public func reclaimDeletedSpace() throws(EngineError) {}

  /// A store with nothing to release does nothing.
  public func closeDatabase() throws(EngineError) {}
}

/// A session as stored: when, and the coarse facts the host passed (none for a child's
/// session). No device id and no message text.
public struct SessionRecord: Sendable, Equatable {
  public var id: String
  public var openedAt: Date
  public var closedAt: Date?
  public var country: String?
  public var locale: String?
}

/// A turn as stored: metadata only. What the person typed is not kept.
public struct TurnRecord: Sendable, Equatable {
  public var sessionId: String
  public var sequence: Int
  public var at: Date
  public var intent: String
  public var confidence: Double
  public var method: String
  /// Comma-separated section ids the answer quoted.
  public var sources: String
}
