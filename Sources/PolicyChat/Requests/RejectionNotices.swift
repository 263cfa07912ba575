import Foundation

/// A rejection the privacy officer made is told to the person with the complaint route,
/// once: when they verify for a new request (``RequestFlow``) or open a session on the same
/// device (``Engine/recallSubject(into:now:)``).
enum RejectionNotices {
  /// The subject's rejections not told yet.
  static func untold(_ requests: [RequestRecord]) -> [RequestRecord] {
    requests.filter { $0.status == "rejected" && $0.notifiedAt == nil }
  }

  /// The placeholders of `request.rejected_notice`.
  static func values(_ request: RequestRecord, settings: RequestSettings) -> [String: String] {
    [
      "reference": request.reference, "title": settings.types[request.type]?.title ?? request.type,
      "reason": request.outcome ?? "no reason given", "route": settings.complaintRoute(for: request.country),
    ]
  }

  /// The request marked as told, and the audit line that says so.
  static func told(_ request: RequestRecord, at now: Date) -> (RequestRecord, AuditRecord) {
    var told = request
    told.notifiedAt = now
    return (
      told, AuditRecord(at: now, actor: "engine", action: "rejection told", reference: request.reference, detail: "")
    )
  }
}

extension Engine {
  /// Rejections the subject has not been told of yet, told now (and marked as told) when
  /// a session opens: no turn is running, so this writes at once.
  func rejectionNotices(subjectId: String, now: Date) throws(EngineError) -> [Reply] {
    var notes: [Reply] = []
    for request in RejectionNotices.untold(try store.requests(RequestFilter(subjectId: subjectId))) {
      notes.append(
        Reply(
          text: composer.templateReply(
            "request.rejected_notice", values: RejectionNotices.values(request, settings: requestSettings))))
      let (told, audit) = RejectionNotices.told(request, at: now)
      try store.saveRequest(told, sessionId: nil)
      try store.audit(audit)
    }
    return notes
  }

  /// A restriction put in force or lifted reaches the subject's open sessions at once.
  func restrictOpenSessions(of subjectId: String, _ restricted: Bool) {
    sessions.post(.restricted(restricted)) { $0.subjectId == subjectId }
  }
}
