import Foundation

/// Data subjects, their links, rights requests and the audit log.
extension RecordKeeper {
  func subject(email: String) throws(EngineError) -> DataSubjectRecord? {
    // The address is sealed: the subject is found by its blind index.
    let index = try keys.cipher(records).index(email)
    return try records.first(StoredSubject.self, matching: .all.equal(.emailIndex, index).isNil(.erasedAt))
      .map(opened)
  }

  func subject(id: String) throws(EngineError) -> DataSubjectRecord? {
    try records.record(StoredSubject.self, key: id).map(opened)
  }

  /// The subject a consent/transcript subject key (a device hash, `session:` id) belongs to.
  func subject(linkedTo key: String) throws(EngineError) -> DataSubjectRecord? {
    let ids = try records.records(SubjectLinkRecord.self, matching: .all.equal(.key, key)).map(\.subjectId)
    guard !ids.isEmpty else { return nil }
    return try records.first(
      StoredSubject.self, matching: .all.among(.id, ids).isNil(.erasedAt).ordered(by: .createdAt)
    ).map(opened)
  }

  func saveSubject(_ record: DataSubjectRecord) throws(EngineError) {
    let cipher = try keys.cipher(records)
    try records.save(
      StoredSubject(
        id: record.id, email: try record.email.map { address throws(EngineError) in try cipher.seal(address) },
        emailIndex: record.email.map(cipher.index), createdAt: record.createdAt, restricted: record.restricted,
        erasedAt: record.erasedAt))
  }

  func setRestricted(subjectId: String, _ restricted: Bool) throws(EngineError) {
    try records.atomically { () throws(EngineError) in
      guard var subject = try records.record(StoredSubject.self, key: subjectId) else { return }
      subject.restricted = restricted
      try records.save(subject)
    }
  }

  /// A subject as the engine uses it: the address opened.
  private func opened(_ stored: StoredSubject) throws(EngineError) -> DataSubjectRecord {
    DataSubjectRecord(
      id: stored.id,
      email: try stored.email.map { sealed throws(EngineError) in try keys.cipher(records).open(sealed) },
      createdAt: stored.createdAt, restricted: stored.restricted, erasedAt: stored.erasedAt)
  }

  func link(subjectId: String, key: String) throws(EngineError) {
    try records.save(SubjectLinkRecord(subjectId: subjectId, key: key))
  }

  func unlink(subjectId: String, key: String) throws(EngineError) {
    _ = try records.delete(SubjectLinkRecord.self, matching: .all.equal(.subjectId, subjectId).equal(.key, key))
  }

  /// Saves a request; `sessionId` nil keeps the session it came from, if it has one.
  func saveRequest(_ record: RequestRecord, sessionId: String?) throws(EngineError) {
    try records.atomically { () throws(EngineError) in
      var from = sessionId
      if from == nil { from = try records.record(StoredRequest.self, key: record.reference)?.sessionId }
      try records.save(StoredRequest(record, sessionId: from))
    }
  }

  func request(reference: String) throws(EngineError) -> RequestRecord? {
    try records.record(StoredRequest.self, key: reference)?.request
  }

  /// Requests in order of their due date (the extended one if extended), earliest first.
  func requests(_ filter: RequestFilter) throws(EngineError) -> [RequestRecord] {
    var query = RecordQuery<StoredRequest>.all
    let openOnly = filter.openOnly || filter.overdueAt != nil || filter.dueBefore != nil
    if openOnly { query = query.equal(.status, "open") }
    if let type = filter.type { query = query.equal(.type, type) }
    if let subject = filter.subjectId { query = query.equal(.subjectId, subject) }
    // Which date is due depends on two fields: compared here, not in the query.
    func due(_ request: RequestRecord) -> Date { request.extendedAt ?? request.dueAt }
    return try records.records(StoredRequest.self, matching: query).map(\.request)
      .filter { request in
        if let now = filter.overdueAt, !(due(request) < now) { return false }
        if let before = filter.dueBefore, !(due(request) <= before) { return false }
        return true
      }
      .sorted { due($0) != due($1) ? due($0) < due($1) : $0.reference < $1.reference }
  }

  /// Appends to the audit log, which cannot be changed afterwards.
  func audit(_ record: AuditRecord) throws(EngineError) {
    try records.insert(record)
  }

  func auditLog(reference: String?) throws(EngineError) -> [AuditRecord] {
    let query = reference.map { RecordQuery<AuditRecord>.all.equal(.reference, $0) } ?? .all
    return try records.records(AuditRecord.self, matching: query)
  }
}
