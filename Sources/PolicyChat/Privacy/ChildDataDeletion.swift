import Foundation

/// Deleting what is kept about a child: when the age screen finds one, when a parent
/// deletes or revokes, or when a consent request lapses unanswered.
extension Engine {
  /// Deletes what is kept about a child and logs that it happened (not what it was).
  @discardableResult
  func deleteChildData(
    sessionId: String?, deviceHash: String?, reference: String?, reason: String, now: Date
  ) throws(EngineError) -> Int {
    let deleted = try removeChildData(
      sessionId: sessionId, deviceHash: deviceHash, reference: reference, reason: reason, now: now)
    reclaimDeletedSpace()
    return deleted
  }

  /// ``deleteChildData(sessionId:deviceHash:reference:reason:now:)`` without overwriting
  /// the freed space, for a caller inside a transaction (a turn's effects), which reclaims
  /// it once the transaction is committed.
  func removeChildData(
    sessionId: String?, deviceHash: String?, reference: String?, reason: String, now: Date
  ) throws(EngineError) -> Int {
    var deleted = 0
    if let sessionId { deleted += try store.deleteSessionData(sessionId: sessionId) }
    if let deviceHash { deleted += try store.forgetDevice(deviceHash: deviceHash) }
    try store.dataDeleted(
      DeletionRecord(at: now, reference: reference, reason: reason, detail: "\(deleted) stored rows about the child"))
    return deleted
  }
}
