import Foundation

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

/// What an export holds, over any store.
extension RecordKeeper {
  /// Everything stored about a session.
  func export(sessionId: String) throws(EngineError) -> SessionExport {
    let session = try records.record(SessionRecord.self, key: sessionId)
    let turns = try records.turns(sessionId: sessionId).map { turn in
      SessionExport.ExportedTurn(
        sequence: turn.sequence, at: turn.at, intent: turn.intent, method: turn.method, sources: turn.sources)
    }
    let transcript = try records.records(
      TranscriptLine.self, matching: .all.equal(.sessionId, sessionId).ordered(by: .sequence))
    let consents = try records.records(ConsentRecord.self, matching: .all.equal(.sessionId, sessionId).ordered(by: .at))
    let decisions = try records.records(
      DecisionRecord.self, matching: .all.equal(.sessionId, sessionId).ordered(by: .at)
    ).map { decision in
      SessionExport.ExportedDecision(
        at: decision.at, kind: decision.kind, outcome: decision.outcome, rule: decision.rule, facts: decision.facts)
    }
    return SessionExport(
      sessionId: sessionId, openedAt: session?.openedAt, closedAt: session?.closedAt, country: session?.country,
      locale: session?.locale, turns: turns, transcript: transcript, consents: consents, decisions: decisions)
  }

  /// Everything held about a data subject: their sessions, requests, and the codes that
  /// verified them (never a code itself).
  func subjectExport(subjectId: String, at now: Date) throws(EngineError) -> SubjectExport? {
    guard let subject = try subject(id: subjectId) else { return nil }
    return try subjectExport(subject, alsoLinked: [], at: now)
  }

  /// ``subjectExport(subjectId:at:)`` of `subject` as it will be once it is stored as it
  /// is and also linked to the subject keys `linked`: for a reply made before a turn's
  /// effects write them.
  func subjectExport(_ subject: DataSubjectRecord, alsoLinked linked: [String], at now: Date) throws(EngineError)
    -> SubjectExport
  {
    let subjectId = subject.id
    var sessions: [SessionExport] = []
    for id in try subjectSessionIds(subjectId, alsoLinked: linked) { sessions.append(try export(sessionId: id)) }
    let requests = try requests(RequestFilter(subjectId: subjectId))
    let verifications = try records.records(
      ChallengeRecord.self,
      matching: .all.among(.reference, requests.map(\.reference)).ordered(by: .issuedAt)
        .ordered(by: .id)
    ).map { challenge in
      SubjectExport.Verification(
        reference: challenge.reference, purpose: challenge.purpose, issuedAt: challenge.issuedAt,
        status: challenge.status)
    }
    return SubjectExport(
      exportedAt: now, subject: subject, sessions: sessions, requests: requests, verifications: verifications)
  }
}
