import Foundation
import GRDB

extension SQLiteSessionStore {
  /// Data subjects, their links to sessions and devices, requests, and the audit log.
  static func registerRequestMigration(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("v4-requests-and-audit") { db in
      try db.create(table: "data_subject") { t in
        t.primaryKey("id", .text)
        t.column("email", .text).indexed()
        t.column("createdAt", .datetime).notNull()
        t.column("restricted", .boolean).notNull().defaults(to: false)
        t.column("erasedAt", .datetime)
      }
      // Which consent/transcript subjects (a device's hash, `session:` ids) are this person.
      try db.create(table: "subject_link") { t in
        t.column("subjectId", .text).notNull().indexed()
        t.column("key", .text).notNull().indexed()
        t.primaryKey(["subjectId", "key"])
      }
      try db.create(table: "request") { t in
        t.primaryKey("reference", .text)
        t.column("subjectId", .text).notNull().indexed()
        t.column("sessionId", .text)
        t.column("type", .text).notNull()
        t.column("status", .text).notNull()
        t.column("regime", .text).notNull()
        t.column("country", .text)
        t.column("receivedAt", .datetime).notNull()
        t.column("dueAt", .datetime).notNull()
        t.column("extendedAt", .datetime)
        t.column("extensionReason", .text)
        t.column("closedAt", .datetime)
        t.column("outcome", .text)
        t.column("details", .text)
        t.column("notifiedAt", .datetime)
      }
      // Append-only: a trigger refuses any change or deletion of a row.
      try db.create(table: "audit_log") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("at", .datetime).notNull()
        t.column("actor", .text).notNull()
        t.column("action", .text).notNull()
        t.column("reference", .text)
        t.column("detail", .text).notNull()
      }
      try db.execute(
        sql: """
          CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
          CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
          """)
    }
  }

  public func subject(email: String) throws(EngineError) -> DataSubjectRecord? {
    try read { db in
      try Row.fetchOne(
        db, sql: "SELECT * FROM data_subject WHERE emailIndex = ? AND erasedAt IS NULL",
        arguments: [cipher.index(email)]
      ).map(subject(from:))
    }
  }

  public func subject(id: String) throws(EngineError) -> DataSubjectRecord? {
    try read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM data_subject WHERE id = ?", arguments: [id]).map(subject(from:))
    }
  }

  public func subject(linkedTo key: String) throws(EngineError) -> DataSubjectRecord? {
    try read { db in
      try Row.fetchOne(
        db,
        sql: """
          SELECT data_subject.* FROM data_subject JOIN subject_link ON subject_link.subjectId = data_subject.id
          WHERE subject_link.key = ? AND data_subject.erasedAt IS NULL ORDER BY data_subject.createdAt LIMIT 1
          """,
        arguments: [key]
      ).map(subject(from:))
    }
  }

  public func saveSubject(_ record: DataSubjectRecord) throws(EngineError) {
    try write { db in
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO data_subject (id, email, emailIndex, createdAt, restricted, erasedAt)
          VALUES (?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          record.id, try record.email.map(cipher.seal), record.email.map(cipher.index), record.createdAt,
          record.restricted, record.erasedAt,
        ])
    }
  }

  public func link(subjectId: String, key: String) throws(EngineError) {
    try write { db in
      try db.execute(
        sql: "INSERT OR IGNORE INTO subject_link (subjectId, key) VALUES (?, ?)", arguments: [subjectId, key])
    }
  }

  public func unlink(subjectId: String, key: String) throws(EngineError) {
    try write { db in
      try db.execute(sql: "DELETE FROM subject_link WHERE subjectId = ? AND key = ?", arguments: [subjectId, key])
    }
  }

  public func deleteSubject(id: String) throws(EngineError) {
    try write { db in
      try db.execute(sql: "DELETE FROM subject_link WHERE subjectId = ?", arguments: [id])
      try db.execute(sql: "DELETE FROM data_subject WHERE id = ?", arguments: [id])
    }
  }

  public func saveRequest(_ record: RequestRecord, sessionId: String?) throws(EngineError) {
    try write { db in
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO request (reference, subjectId, sessionId, type, status, regime, country, receivedAt,
            dueAt, extendedAt, extensionReason, closedAt, outcome, details, notifiedAt)
          VALUES (?, ?, COALESCE(?, (SELECT sessionId FROM request WHERE reference = ?)), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
            ?, ?)
          """,
        arguments: [
          record.reference, record.subjectId, sessionId, record.reference, record.type, record.status, record.regime,
          record.country, record.receivedAt, record.dueAt, record.extendedAt, record.extensionReason, record.closedAt,
          record.outcome, record.details, record.notifiedAt,
        ])
    }
  }

  public func request(reference: String) throws(EngineError) -> RequestRecord? {
    try read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM request WHERE reference = ?", arguments: [reference])
        .map(Self.request(from:))
    }
  }

  public func requests(_ filter: RequestFilter) throws(EngineError) -> [RequestRecord] {
    var clauses: [String] = []
    var arguments: [any DatabaseValueConvertible] = []
    if filter.openOnly { clauses.append("status = 'open'") }
    if let now = filter.overdueAt {
      clauses.append("status = 'open' AND COALESCE(extendedAt, dueAt) < ?")
      arguments.append(now)
    }
    if let before = filter.dueBefore {
      clauses.append("status = 'open' AND COALESCE(extendedAt, dueAt) <= ?")
      arguments.append(before)
    }
    if let type = filter.type {
      clauses.append("type = ?")
      arguments.append(type)
    }
    if let subject = filter.subjectId {
      clauses.append("subjectId = ?")
      arguments.append(subject)
    }
    let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
    return try read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM request \(whereClause) ORDER BY COALESCE(extendedAt, dueAt), reference",
        arguments: StatementArguments(arguments)
      ).map(Self.request(from:))
    }
  }

  public func audit(_ record: AuditRecord) throws(EngineError) {
    try write { db in
      try db.execute(
        sql: "INSERT INTO audit_log (at, actor, action, reference, detail) VALUES (?, ?, ?, ?, ?)",
        arguments: [record.at, record.actor, record.action, record.reference, record.detail])
    }
  }

  public func auditLog(reference: String?) throws(EngineError) -> [AuditRecord] {
    try read { db in
      let sql =
        reference == nil
        ? "SELECT * FROM audit_log ORDER BY id" : "SELECT * FROM audit_log WHERE reference = ? ORDER BY id"
      return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(reference.map { [$0] } ?? [])).map { row in
        AuditRecord(
          at: row["at"], actor: row["actor"], action: row["action"], reference: row["reference"],
          detail: row["detail"])
      }
    }
  }

  public func retag(challengeId: String, reference: String) throws(EngineError) {
    try write { db in
      try db.execute(sql: "UPDATE challenge SET reference = ? WHERE id = ?", arguments: [reference, challengeId])
    }
  }

  public func subjectExport(subjectId: String, at now: Date) throws(EngineError) -> SubjectExport? {
    guard let subject = try subject(id: subjectId) else { return nil }
    let sessionIds = try subjectSessionIds(subjectId)
    var sessions: [SessionExport] = []
    for id in sessionIds { sessions.append(try export(sessionId: id)) }
    let requests = try requests(RequestFilter(subjectId: subjectId))
    let verifications = try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT * FROM challenge WHERE reference IN (SELECT reference FROM request WHERE subjectId = ?)
          ORDER BY issuedAt, id
          """,
        arguments: [subjectId]
      ).map { row in
        SubjectExport.Verification(
          reference: row["reference"], purpose: row["purpose"], issuedAt: row["issuedAt"], status: row["status"])
      }
    }
    return SubjectExport(
      exportedAt: now, subject: subject, sessions: sessions, requests: requests, verifications: verifications)
  }

  /// Deletes everything held about a subject but the tombstone: the subject's id and the
  /// erasure request itself. Returns the number of rows deleted.
  public func erase(subjectId: String, keeping reference: String, at now: Date) throws(EngineError) -> Int {
    let sessionIds = try subjectSessionIds(subjectId)
    return try writeReturning { db in
      let keys = try String.fetchAll(
        db, sql: "SELECT key FROM subject_link WHERE subjectId = ?", arguments: [subjectId])
      var deleted = 0
      func run(_ sql: String, _ arguments: StatementArguments) throws {
        try db.execute(sql: sql, arguments: arguments)
        deleted += db.changesCount
      }
      for key in keys {
        // A linked device's under-age answer stays: it is a keyed hash, not the person's
        // data, and without it a child on that device could answer the screen as an adult.
        // An adult answer goes, so that the device is screened again.
        try run("DELETE FROM device_answer WHERE deviceHash = ? AND outcome = 'adult'", [key])
        try run("DELETE FROM transcript_line WHERE subject = ?", [key])
        try run("DELETE FROM consent WHERE subject = ?", [key])
      }
      for id in sessionIds {
        try run("DELETE FROM transcript_line WHERE sessionId = ?", [id])
        try run("DELETE FROM consent WHERE sessionId = ?", [id])
        try run("DELETE FROM decision WHERE sessionId = ?", [id])
        try run("DELETE FROM turn WHERE sessionId = ?", [id])
        try run("DELETE FROM session WHERE id = ?", [id])
      }
      try run(
        """
        DELETE FROM challenge WHERE reference IN (SELECT reference FROM request WHERE subjectId = ? AND reference != ?)
          OR reference = ?
        """, [subjectId, reference, reference])
      try run("DELETE FROM request WHERE subjectId = ? AND reference != ?", [subjectId, reference])
      try run("UPDATE request SET sessionId = NULL, details = NULL, country = NULL WHERE reference = ?", [reference])
      try run("DELETE FROM subject_link WHERE subjectId = ?", [subjectId])
      try db.execute(
        sql: "UPDATE data_subject SET email = NULL, emailIndex = NULL, restricted = 0, erasedAt = ? WHERE id = ?",
        arguments: [now, subjectId])
      return deleted
    }
  }

  public func setRestricted(subjectId: String, _ restricted: Bool) throws(EngineError) {
    try write { db in
      try db.execute(sql: "UPDATE data_subject SET restricted = ? WHERE id = ?", arguments: [restricted, subjectId])
    }
  }

  /// The sessions that hold something of the subject: those linked directly, those whose
  /// consents or kept chats belong to the subject's device, and those its requests came from.
  private func subjectSessionIds(_ subjectId: String) throws(EngineError) -> [String] {
    try read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT DISTINCT id FROM (
            SELECT substr(key, 9) AS id FROM subject_link WHERE subjectId = ?1 AND key LIKE 'session:%'
            UNION SELECT sessionId FROM consent WHERE subject IN (SELECT key FROM subject_link WHERE subjectId = ?1)
            UNION SELECT sessionId FROM transcript_line
              WHERE subject IN (SELECT key FROM subject_link WHERE subjectId = ?1)
            UNION SELECT sessionId FROM request WHERE subjectId = ?1 AND sessionId IS NOT NULL
          ) ORDER BY id
          """,
        arguments: [subjectId])
    }
  }

  /// A subject as stored, its address opened.
  private func subject(from row: Row) throws -> DataSubjectRecord {
    DataSubjectRecord(
      id: row["id"], email: try cipher.open(row["email"] as String?), createdAt: row["createdAt"],
      restricted: row["restricted"],
      erasedAt: row["erasedAt"])
  }

  private static func request(from row: Row) -> RequestRecord {
    RequestRecord(
      reference: row["reference"], subjectId: row["subjectId"], type: row["type"], status: row["status"],
      regime: row["regime"], country: row["country"], receivedAt: row["receivedAt"], dueAt: row["dueAt"],
      extendedAt: row["extendedAt"], extensionReason: row["extensionReason"], closedAt: row["closedAt"],
      outcome: row["outcome"], details: row["details"], notifiedAt: row["notifiedAt"])
  }
}
