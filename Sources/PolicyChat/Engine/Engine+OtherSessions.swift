import Foundation

/// What another session, or another process on the same database, changed about the person
/// a session belongs to. A session's state is a copy in this process's memory; the store is
/// what all of them share, so what a gate depends on is read from it again.
extension Engine {
  /// Before a turn of a session that keeps its chat: the consent may have been withdrawn,
  /// or the person erased, in another process since this session read it. Its latest record
  /// is read again, so that nothing is kept on a consent that no longer stands (one indexed
  /// row a turn, and only for sessions that keep their chat).
  func refreshLoggingConsent(state: inout SessionState, now: Date) throws(EngineError) {
    guard state.consentValid("session_logging", at: now) else { return }
    state.consents["session_logging"] = try store.latestConsent(subject: state.subject, purpose: "session_logging")
  }

  /// Before a turn of a session known to belong to a data subject: a restriction put in
  /// force (or lifted) or an erasure done in another session, of this process or another,
  /// holds here too.
  func refreshSubject(state: inout SessionState) throws(EngineError) {
    guard let subjectId = state.subjectId, !state.erased, let subject = try store.subject(id: subjectId) else { return }
    state.restricted = subject.restricted
    if subject.erasedAt != nil {
      state.erased = true
      state.consents = [:]
    }
  }
}
