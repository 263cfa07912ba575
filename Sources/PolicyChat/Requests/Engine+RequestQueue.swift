import Foundation

/// The privacy officer's side of rights requests: the queue, its actions, the audit log.
/// Every action is appended to the audit log with who did it and when.
extension Engine {
  /// Requests by due date; overdue ones are those open past their (extended) due date.
  public func requests(_ filter: RequestFilter = RequestFilter()) throws(EngineError) -> [RequestRecord] {
    try store.requests(filter)
  }

  public func request(_ reference: String) throws(EngineError) -> RequestRecord? {
    try store.request(reference: reference.uppercased())
  }

  public func auditLog(reference: String? = nil) throws(EngineError) -> [AuditRecord] {
    try store.auditLog(reference: reference?.uppercased())
  }

  /// The clock the engine runs on, for listings that mark what is overdue.
  public var now: Date { clock.now() }

  /// Extends an open request once, within its first period, as its regime allows.
  public func extendRequest(_ reference: String, reason: String, by actor: String) throws(EngineError) -> RequestRecord
  {
    var request = try openRequest(reference)
    let now = clock.now()
    guard request.extendedAt == nil else {
      throw .invalidInput(field: "reference", reason: "a request not yet extended (it was extended once already)")
    }
    guard now <= request.dueAt else {
      throw .invalidInput(
        field: "reference", reason: "a request still inside its first period (the notice must come before it ends)")
    }
    guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw .invalidInput(field: "reason", reason: "the reasons, which the person is told")
    }
    // The person is told, and the audit log keeps it: neither may hold personal data.
    let reason = try officerText(reason, field: "reason").text
    let regime = requestSettings.regimes[request.regime] ?? requestSettings.regime(for: request.country)
    request.extendedAt = regime.due(from: request.receivedAt, extended: true)
    request.extensionReason = reason
    try store.saveRequest(request, sessionId: nil)
    try store.audit(
      AuditRecord(
        at: now, actor: actor, action: "extended", reference: request.reference,
        detail: "to \(UTCDate.day(request.extendedAt ?? now)): \(reason)"))
    return request
  }

  public func completeRequest(_ reference: String, note: String?, by actor: String) throws(EngineError) -> RequestRecord
  {
    var request = try openRequest(reference)
    let note = try note.map { note throws(EngineError) in try officerText(note, field: "note").text }
    let now = clock.now()
    request.status = "completed"
    request.closedAt = now
    request.outcome = note ?? request.outcome ?? "completed by the privacy officer"
    try store.saveRequest(request, sessionId: nil)
    try store.audit(
      AuditRecord(at: now, actor: actor, action: "completed", reference: request.reference, detail: note ?? ""))
    return request
  }

  /// Rejects a request with its reasons; the person is told, with the complaint route, in
  /// their next session on the same device or when they look the request up.
  public func rejectRequest(_ reference: String, reason: String, by actor: String) throws(EngineError) -> RequestRecord
  {
    var request = try openRequest(reference)
    guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw .invalidInput(field: "reason", reason: "the reasons, which the person is told")
    }
    let reason = try officerText(reason, field: "reason").text
    let now = clock.now()
    request.status = "rejected"
    request.closedAt = now
    request.outcome = reason
    try store.saveRequest(request, sessionId: nil)
    try store.audit(
      AuditRecord(at: now, actor: actor, action: "rejected", reference: request.reference, detail: reason))
    return request
  }

  /// Lifts the restriction a restriction request put in force.
  public func liftRestriction(_ reference: String, by actor: String) throws(EngineError) -> RequestRecord {
    guard let request = try store.request(reference: reference.uppercased()), request.type == "restriction" else {
      throw .invalidInput(field: "reference", reason: "the reference of a restriction request")
    }
    try store.setRestricted(subjectId: request.subjectId, false)
    restrictOpenSessions(of: request.subjectId, false)
    try store.audit(
      AuditRecord(at: clock.now(), actor: actor, action: "restriction lifted", reference: request.reference, detail: "")
    )
    return request
  }

  /// Everything held about a subject, by the subject's id (`ds-...`) or e-mail address.
  public func exportSubject(_ subject: String, by actor: String) throws(EngineError) -> SubjectExport? {
    let record = try (subject.contains("@") ? store.subject(email: subject) : store.subject(id: subject))
    guard let record, let export = try store.subjectExport(subjectId: record.id, at: clock.now()) else { return nil }
    try store.audit(
      AuditRecord(at: clock.now(), actor: actor, action: "subject exported", reference: nil, detail: record.id))
    return export
  }

  /// What a device's next session must know: a restriction in force, rejections untold.
  func recallSubject(into state: inout SessionState, now: Date) throws(EngineError) -> [Reply] {
    guard state.deviceHash != nil, let subject = try store.subject(linkedTo: state.subject) else { return [] }
    state.restricted = subject.restricted
    state.subjectId = subject.id
    return try rejectionNotices(subjectId: subject.id, now: now)
  }

  private func openRequest(_ reference: String) throws(EngineError) -> RequestRecord {
    guard let request = try store.request(reference: reference.uppercased()) else {
      throw .invalidInput(field: "reference", reason: "the reference of a request (RQ-...)")
    }
    guard request.status == "open" else {
      throw .invalidInput(field: "reference", reason: "an open request (this one is \(request.status))")
    }
    return request
  }
}
