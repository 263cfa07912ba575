import Foundation

/// Housekeeping of parental consent requests, not a flow: nobody asks for it, it runs as
/// sessions open.
extension Engine {
  /// Closes consent requests whose code lapsed unanswered long ago: the parent's address
  /// and anything kept for the child are deleted, and the deletion logged.
  ///
  /// It runs as sessions open, at most once a minute of the engine's clock: requests lapse
  /// after days, and a query on every open was a fifth of the cost of opening one.
  func closeLapsedParentalConsents(now: Date) throws(EngineError) {
    let due = lastLapseSweep.withLock { last in
      if let previous = last, now >= previous, now.timeIntervalSince(previous) < 60 { return false }
      last = now
      return true
    }
    guard due else { return }
    let cutoff = now.addingTimeInterval(-(gates.codeLifetime + gates.closeUnansweredAfter))
    for var consent in try store.pendingParentalConsents(requestedBefore: cutoff) {
      let latest = try store.latestChallenge(reference: consent.reference, purpose: "parental_consent")
      guard (latest?.expiresAt ?? consent.requestedAt).addingTimeInterval(gates.closeUnansweredAfter) < now else {
        continue
      }
      consent.status = "lapsed"
      consent.parentContact = nil
      consent.endedAt = now
      try store.saveParentalConsent(consent)
      try deleteChildData(
        sessionId: consent.childSessionId, deviceHash: nil, reference: consent.reference,
        reason: "parental consent not given in time: the parent's address and the child's data deleted", now: now)
      // The child's open session, if any, hears where its consent now stands.
      if let sessionId = consent.childSessionId {
        sessions.post(.parentalConsent(status: "lapsed", scope: consent.detail)) { $0.id == sessionId }
      }
    }
  }
}
