import Foundation

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

/// What retention purges, over any store.
extension RecordKeeper {
  /// Deletes (or, with `dryRun`, counts) what is past its retention period, by category,
  /// and logs what it deleted. A consent in force (the latest record of its subject and
  /// purpose, a grant not yet expired) is never purged, whatever its age.
  func purge(_ cutoffs: PurgeCutoffs, dryRun: Bool) throws(EngineError) -> [String: Int] {
    try records.atomically { () throws(EngineError) -> [String: Int] in
      var counts: [String: Int] = [:]
      func category<Record: StoredRecord>(_ name: String, _ kind: Record.Type, _ query: RecordQuery<Record>)
        throws(EngineError)
      {
        counts[name] = dryRun ? try records.count(kind, matching: query) : try records.delete(kind, matching: query)
      }
      try category("transcripts", TranscriptLine.self, .all.before(.at, cutoffs.transcripts))
      try category("turns", TurnRecord.self, .all.before(.at, cutoffs.turns))
      try purgeSessions(before: cutoffs.sessions, dryRun: dryRun, counts: &counts)
      counts["consents"] = try purgeConsents(before: cutoffs.consents, now: cutoffs.now, dryRun: dryRun)
      try category("decisions", DecisionRecord.self, .all.before(.at, cutoffs.decisions))
      try category("device answers", DeviceAnswerRecord.self, .all.before(.at, cutoffs.deviceAnswers))
      // An ended consent only: one pending or in force is not past anything.
      try category(
        "parental consents", ParentalConsentRecord.self,
        .all.isNotNil(.endedAt).before(.endedAt, cutoffs.parentalConsentsEnded))
      try category("challenges", ChallengeRecord.self, .all.before(.issuedAt, cutoffs.challenges))
      try category("deletion log", DeletionRecord.self, .all.before(.at, cutoffs.deletionLog))
      try category("code budgets", BudgetSpendRecord.self, .all.before(.at, cutoffs.codeBudgets))
      if !dryRun && counts.values.contains(where: { $0 > 0 }) {
        let detail = counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
          .joined(separator: ", ")
        try records.insert(
          DeletionRecord(
            at: cutoffs.now, reference: nil, reason: "retention period passed (policychat admin purge)",
            detail: detail))
      }
      return counts
    }
  }

  /// Sessions opened before the cut-off, and with them whatever turns they still have
  /// (not counted: they were past their own period or went with their session).
  private func purgeSessions(before cutoff: Date, dryRun: Bool, counts: inout [String: Int]) throws(EngineError) {
    let old = RecordQuery<SessionRecord>.all.before(.openedAt, cutoff)
    if dryRun {
      counts["sessions"] = try records.count(SessionRecord.self, matching: old)
      return
    }
    let ids = try records.records(SessionRecord.self, matching: old).map(\.id)
    if !ids.isEmpty { _ = try records.delete(TurnRecord.self, matching: .all.among(.sessionId, ids)) }
    counts["sessions"] = try records.delete(SessionRecord.self, matching: old)
  }

  /// Consent records older than the cut-off, but for the one in force of each subject
  /// and purpose. Records have no key: the others of a subject and purpose go by their
  /// fields, and one that is in every field the same as the record in force stays with it.
  private func purgeConsents(before cutoff: Date, now: Date, dryRun: Bool) throws(EngineError) -> Int {
    let old = try records.records(ConsentRecord.self, matching: .all.before(.at, cutoff))
    guard !old.isEmpty else { return 0 }
    var inForce: [String: ConsentRecord] = [:]
    for pair in Set(old.map { [$0.subject, $0.purpose] }) {
      // The latest written, as the store wrote them.
      let latest = try records.first(
        ConsentRecord.self,
        matching: .all.equal(.subject, pair[0]).equal(.purpose, pair[1]).orderedByWriting(descending: true))
      guard let latest,
        latest.granted, let expires = latest.expiresAt, expires > now
      else { continue }
      inForce[pair.joined(separator: "\u{1F}")] = latest
    }
    let purged = old.filter { $0 != inForce[$0.subject + "\u{1F}" + $0.purpose] }
    if dryRun { return purged.count }
    var deleted = 0
    for record in Set(purged.map(RecordFields.init)) {
      let conditions = ConsentRecord.Field.allCases.map { field in
        let value = record[field.rawValue]
        return RecordQuery<ConsentRecord>.Condition(field, value == .null ? .isNil : .equals(value))
      }
      deleted += try records.delete(ConsentRecord.self, matching: RecordQuery(conditions))
    }
    return deleted
  }
}
