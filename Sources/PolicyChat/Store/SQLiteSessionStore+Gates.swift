import Foundation
import GRDB

extension SQLiteSessionStore {
  /// The tables of the age gate and parental consent.
  static func registerGateMigration(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("v2-age-gate-and-parental-consent") { db in
      try db.create(table: "setting") { t in
        t.primaryKey("key", .text)
        t.column("value", .blob).notNull()
      }
      // Decisions outlive the session they were made in: they are the audit trail.
      try db.create(table: "decision") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("sessionId", .text).notNull().indexed()
        t.column("at", .datetime).notNull()
        t.column("kind", .text).notNull()
        t.column("outcome", .text).notNull()
        t.column("rule", .text).notNull()
        t.column("facts", .text).notNull()
      }
      try db.create(table: "device_answer") { t in
        t.primaryKey("deviceHash", .text)
        t.column("outcome", .text).notNull()
        t.column("at", .datetime).notNull()
      }
      try db.create(table: "parental_consent") { t in
        t.primaryKey("reference", .text)
        t.column("childSessionId", .text).indexed()
        t.column("childDeviceHash", .text).indexed()
        t.column("parentContact", .text)
        t.column("scope", .text).notNull()
        t.column("detail", .text)
        t.column("status", .text).notNull()
        t.column("method", .text)
        t.column("hostMethod", .text)
        t.column("country", .text)
        t.column("policyVersion", .text).notNull()
        t.column("requestedAt", .datetime).notNull()
        t.column("verifiedAt", .datetime)
        t.column("verifiedBySession", .text)
        t.column("endedAt", .datetime)
      }
      try db.create(table: "challenge") { t in
        t.primaryKey("id", .text)
        t.column("purpose", .text).notNull()
        t.column("reference", .text).notNull().indexed()
        t.column("salt", .text).notNull()
        t.column("codeHash", .text).notNull()
        t.column("issuedAt", .datetime).notNull()
        t.column("expiresAt", .datetime).notNull()
        t.column("attempts", .integer).notNull()
        t.column("maxAttempts", .integer).notNull()
        t.column("status", .text).notNull()
      }
      try db.create(table: "deletion_log") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("at", .datetime).notNull()
        t.column("reference", .text)
        t.column("reason", .text).notNull()
        t.column("detail", .text).notNull()
      }
    }
  }

  public func decisionMade(_ record: DecisionRecord) throws(EngineError) {
    try write { db in
      try db.execute(
        sql: "INSERT INTO decision (sessionId, at, kind, outcome, rule, facts) VALUES (?, ?, ?, ?, ?, ?)",
        arguments: [record.sessionId, record.at, record.kind, record.outcome, record.rule, record.facts])
    }
  }

  public func deviceOutcome(deviceHash: String, since: Date) throws(EngineError) -> String? {
    try read { db in
      try String.fetchOne(
        db, sql: "SELECT outcome FROM device_answer WHERE deviceHash = ? AND at >= ?", arguments: [deviceHash, since])
    }
  }

  public func deviceAnswered(deviceHash: String, outcome: String, at: Date) throws(EngineError) {
    try write { db in
      try db.execute(
        sql: "INSERT OR REPLACE INTO device_answer (deviceHash, outcome, at) VALUES (?, ?, ?)",
        arguments: [deviceHash, outcome, at])
    }
  }

  public func hashDeviceId(_ deviceId: String) throws(EngineError) -> String {
    let key: Data
    if let existing = try read({ db in try Data.fetchOne(db, sql: Self.deviceKeyQuery) }) {
      key = existing
    } else {
      key = try writeReturning { db in
        // Another process may have made the key meanwhile: the first one made wins.
        try db.execute(
          sql: "INSERT OR IGNORE INTO setting (key, value) VALUES ('device-hash-key', ?)", arguments: [Hashing.newKey()]
        )
        return try Data.fetchOne(db, sql: Self.deviceKeyQuery) ?? Data()
      }
    }
    return Hashing.keyedHash(deviceId, key: key)
  }

  private static let deviceKeyQuery = "SELECT value FROM setting WHERE key = 'device-hash-key'"

  public func saveParentalConsent(_ record: ParentalConsentRecord) throws(EngineError) {
    try write { db in
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO parental_consent (reference, childSessionId, childDeviceHash, parentContact, scope,
            detail, status, method, hostMethod, country, policyVersion, requestedAt, verifiedAt, verifiedBySession,
            endedAt)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          record.reference, record.childSessionId, record.childDeviceHash, try record.parentContact.map(cipher.seal),
          record.scope,
          record.detail, record.status, record.method, record.hostMethod, record.country, record.policyVersion,
          record.requestedAt, record.verifiedAt, record.verifiedBySession, record.endedAt,
        ])
    }
  }

  public func parentalConsent(reference: String) throws(EngineError) -> ParentalConsentRecord? {
    try read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM parental_consent WHERE reference = ?", arguments: [reference])
        .map(parentalConsent(from:))
    }
  }

  public func parentalConsents(deviceHash: String) throws(EngineError) -> [ParentalConsentRecord] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM parental_consent WHERE childDeviceHash = ? ORDER BY requestedAt",
        arguments: [deviceHash]
      ).map(parentalConsent(from:))
    }
  }

  public func pendingParentalConsents(requestedBefore before: Date) throws(EngineError) -> [ParentalConsentRecord] {
    try read { db in
      try Row.fetchAll(
        db.cachedStatement(sql: "SELECT * FROM parental_consent WHERE status = 'pending' AND requestedAt < ?"),
        arguments: [before]
      ).map(parentalConsent(from:))
    }
  }

  public func saveChallenge(_ record: ChallengeRecord) throws(EngineError) {
    try write { db in
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO challenge (id, purpose, reference, salt, codeHash, issuedAt, expiresAt, attempts,
            maxAttempts, status)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          record.id, record.purpose, record.reference, record.salt, record.codeHash, record.issuedAt,
          record.expiresAt, record.attempts, record.maxAttempts, record.status,
        ])
    }
  }

  public func latestChallenge(reference: String, purpose: String) throws(EngineError) -> ChallengeRecord? {
    try read { db in
      try Row.fetchOne(
        db,
        sql: "SELECT * FROM challenge WHERE reference = ? AND purpose = ? ORDER BY issuedAt DESC, rowid DESC LIMIT 1",
        arguments: [reference, purpose]
      ).map { row in
        ChallengeRecord(
          id: row["id"], purpose: row["purpose"], reference: row["reference"], salt: row["salt"],
          codeHash: row["codeHash"], issuedAt: row["issuedAt"], expiresAt: row["expiresAt"],
          attempts: row["attempts"], maxAttempts: row["maxAttempts"], status: row["status"])
      }
    }
  }

  public func challengesIssued(reference: String, since: Date) throws(EngineError) -> [Date] {
    try read { db in
      try Date.fetchAll(
        db, sql: "SELECT issuedAt FROM challenge WHERE reference = ? AND issuedAt >= ? ORDER BY issuedAt",
        arguments: [reference, since])
    }
  }

  public func challenge(id: String) throws(EngineError) -> ChallengeRecord? {
    try read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM challenge WHERE id = ?", arguments: [id]).map { row in
        ChallengeRecord(
          id: row["id"], purpose: row["purpose"], reference: row["reference"], salt: row["salt"],
          codeHash: row["codeHash"], issuedAt: row["issuedAt"], expiresAt: row["expiresAt"],
          attempts: row["attempts"], maxAttempts: row["maxAttempts"], status: row["status"])
      }
    }
  }

  public func deleteSessionData(sessionId: String) throws(EngineError) -> Int {
    try writeReturning { db in
      try db.execute(sql: "DELETE FROM turn WHERE sessionId = ?", arguments: [sessionId])
      var deleted = db.changesCount
      try db.execute(sql: "DELETE FROM transcript_line WHERE sessionId = ?", arguments: [sessionId])
      deleted += db.changesCount
      try db.execute(sql: "UPDATE session SET country = NULL, locale = NULL WHERE id = ?", arguments: [sessionId])
      return deleted
    }
  }

  public func forgetDevice(deviceHash: String) throws(EngineError) -> Int {
    try writeReturning { db in
      try db.execute(sql: "DELETE FROM device_answer WHERE deviceHash = ?", arguments: [deviceHash])
      return db.changesCount
    }
  }

  public func dataDeleted(_ record: DeletionRecord) throws(EngineError) {
    try write { db in
      try db.execute(
        sql: "INSERT INTO deletion_log (at, reference, reason, detail) VALUES (?, ?, ?, ?)",
        arguments: [record.at, record.reference, record.reason, record.detail])
    }
  }

  /// A parental consent as stored, the parent's address opened.
  private func parentalConsent(from row: Row) throws -> ParentalConsentRecord {
    ParentalConsentRecord(
      reference: row["reference"], childSessionId: row["childSessionId"], childDeviceHash: row["childDeviceHash"],
      parentContact: try cipher.open(row["parentContact"] as String?), scope: row["scope"], detail: row["detail"],
      status: row["status"],
      method: row["method"], hostMethod: row["hostMethod"], country: row["country"],
      policyVersion: row["policyVersion"], requestedAt: row["requestedAt"], verifiedAt: row["verifiedAt"],
      verifiedBySession: row["verifiedBySession"], endedAt: row["endedAt"])
  }
}
