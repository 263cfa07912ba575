import Foundation

/// What the engine holds, for the person and the privacy officer: receipts, exports,
/// retention, and the policy's archived versions.
extension Engine {
  /// The receipt of the consents in force in a session (Kantara v1.1), or nil when none is.
  public func consentReceipt(of sessionId: String) throws(EngineError) -> ConsentReceipt? {
    guard let state = sessions.state(of: sessionId) else { throw .unknownSession }
    return consentReceipt(state: state, now: clock.now())
  }

  /// Everything stored about a session, open or closed (the protocol allows only open ones):
  /// for the person's own copy and for the privacy officer's export.
  public func export(sessionId: String) throws(EngineError) -> SessionExport {
    try store.export(sessionId: sessionId)
  }

  /// Deletes (or counts, with `dryRun`) every record past its retention period
  /// (knowledge/consent.yaml, knowledge/age-gate.yaml); running it twice deletes nothing
  /// the second time.
  public func purge(dryRun: Bool) throws(EngineError) -> [String: Int] {
    let now = clock.now()
    func daysAgo(_ days: Int) -> Date { now.addingTimeInterval(-Double(days) * 86_400) }
    let retention = consentCatalog.retention
    let essential = consentCatalog.purpose("essential")?.retentionDays ?? 90
    let logging = consentCatalog.purpose("session_logging")?.retentionDays ?? 180
    defer { if !dryRun { reclaimDeletedSpace() } }
    return try store.purge(
      PurgeCutoffs(
        sessions: daysAgo(essential), turns: daysAgo(essential), transcripts: daysAgo(logging),
        consents: daysAgo(retention.consents), decisions: daysAgo(retention.decisions),
        deviceAnswers: now.addingTimeInterval(-gates.deviceMemory),
        parentalConsentsEnded: daysAgo(retention.parentalConsentsEnded), challenges: daysAgo(retention.challenges),
        deletionLog: daysAgo(retention.deletionLog), codeBudgets: now.addingTimeInterval(-codeBudgets.window),
        now: now),
      dryRun: dryRun)
  }

  /// The text of an earlier version of the policy, if it is archived.
  public func archivedPolicyText(_ version: Disclosure.Version) throws(EngineError) -> String? {
    try disclosure.archivedText(version, home: home)
  }
}
