import Foundation
import GRDB

extension SQLiteSessionStore {
  /// Consent records and the chat text kept under consent.
  static func registerConsentMigration(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("v3-consent-and-transcripts") { db in
      try db.create(table: "consent") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("subject", .text).notNull().indexed()
        t.column("sessionId", .text).notNull()
        t.column("purpose", .text).notNull()
        t.column("granted", .boolean).notNull()
        t.column("at", .datetime).notNull()
        t.column("method", .text).notNull()
        t.column("policyVersion", .text).notNull()
        t.column("jurisdiction", .text).notNull()
        t.column("expiresAt", .datetime)
      }
      try db.create(table: "transcript_line") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("sessionId", .text).notNull().indexed()
        t.column("subject", .text).notNull().indexed()
        t.column("sequence", .integer).notNull()
        t.column("at", .datetime).notNull()
        t.column("speaker", .text).notNull()
        t.column("text", .text).notNull()
      }
    }
  }

  public func consentRecorded(_ record: ConsentRecord) throws(EngineError) {
    try write { db in
      try db.execute(
        sql: """
          INSERT INTO consent (subject, sessionId, purpose, granted, at, method, policyVersion, jurisdiction, expiresAt)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          record.subject, record.sessionId, record.purpose, record.granted, record.at, record.method,
          record.policyVersion, record.jurisdiction, record.expiresAt,
        ])
    }
  }

  public func consents(subject: String) throws(EngineError) -> [ConsentRecord] {
    try read { db in
      // Every session open reads these: a cached statement.
      try Row.fetchAll(
        db.cachedStatement(sql: "SELECT * FROM consent WHERE subject = ? ORDER BY at, id"), arguments: [subject]
      )
      .map(Self.consent(from:))
    }
  }

  public func latestConsent(subject: String, purpose: String) throws(EngineError) -> ConsentRecord? {
    try read { db in
      // Every turn of a session that keeps its chat reads it: a cached statement.
      try Row.fetchOne(
        db.cachedStatement(
          sql: "SELECT * FROM consent WHERE subject = ? AND purpose = ? ORDER BY at DESC, id DESC LIMIT 1"),
        arguments: [subject, purpose]
      ).map(Self.consent(from:))
    }
  }

  public func transcriptLineKept(_ line: TranscriptLine) throws(EngineError) {
    try write { db in
      try db.execute(
        sql: "INSERT INTO transcript_line (sessionId, subject, sequence, at, speaker, text) VALUES (?, ?, ?, ?, ?, ?)",
        arguments: [line.sessionId, line.subject, line.sequence, line.at, line.speaker, line.text])
    }
  }

  public func transcriptLineCount(subject: String) throws(EngineError) -> Int {
    try read { db in
      try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM transcript_line WHERE subject = ?", arguments: [subject]) ?? 0
    }
  }

  public func deleteTranscript(subject: String) throws(EngineError) -> Int {
    try writeReturning { db in
      try db.execute(sql: "DELETE FROM transcript_line WHERE subject = ?", arguments: [subject])
      return db.changesCount
    }
  }

  public func export(sessionId: String) throws(EngineError) -> SessionExport {
    try read { db in
      let session = try Row.fetchOne(db, sql: "SELECT * FROM session WHERE id = ?", arguments: [sessionId])
      let turns = try Row.fetchAll(
        db, sql: "SELECT * FROM turn WHERE sessionId = ? ORDER BY sequence", arguments: [sessionId]
      ).map { row in
        SessionExport.ExportedTurn(
          sequence: row["sequence"], at: row["at"], intent: row["intent"], method: row["method"],
          sources: row["sources"])
      }
      let transcript = try Row.fetchAll(
        db, sql: "SELECT * FROM transcript_line WHERE sessionId = ? ORDER BY sequence, id", arguments: [sessionId]
      ).map { row in
        TranscriptLine(
          sessionId: row["sessionId"], subject: row["subject"], sequence: row["sequence"], at: row["at"],
          speaker: row["speaker"], text: row["text"])
      }
      let consents = try Row.fetchAll(
        db, sql: "SELECT * FROM consent WHERE sessionId = ? ORDER BY at, id", arguments: [sessionId]
      ).map(Self.consent(from:))
      let decisions = try Row.fetchAll(
        db, sql: "SELECT * FROM decision WHERE sessionId = ? ORDER BY at, id", arguments: [sessionId]
      ).map { row in
        SessionExport.ExportedDecision(
          at: row["at"], kind: row["kind"], outcome: row["outcome"], rule: row["rule"], facts: row["facts"])
      }
      return SessionExport(
        sessionId: sessionId, openedAt: session?["openedAt"], closedAt: session?["closedAt"],
        country: session?["country"], locale: session?["locale"], turns: turns, transcript: transcript,
        consents: consents, decisions: decisions)
    }
  }

  public func purge(_ cutoffs: PurgeCutoffs, dryRun: Bool) throws(EngineError) -> [String: Int] {
    // Each category: its table, and the rows past their period. A consent in force (the
    // latest record of its subject and purpose, a grant not yet expired) is never purged.
    let categories: [(String, String, [any DatabaseValueConvertible])] = [
      ("transcripts", "DELETE FROM transcript_line WHERE at < ?", [cutoffs.transcripts]),
      ("turns", "DELETE FROM turn WHERE at < ?", [cutoffs.turns]),
      ("sessions", "DELETE FROM session WHERE openedAt < ?", [cutoffs.sessions]),
      (
        "consents",
        """
        DELETE FROM consent WHERE at < ? AND NOT (granted AND expiresAt > ? AND id = (
          SELECT MAX(id) FROM consent AS later WHERE later.subject = consent.subject AND later.purpose = consent.purpose))
        """,
        [cutoffs.consents, cutoffs.now]
      ),
      ("decisions", "DELETE FROM decision WHERE at < ?", [cutoffs.decisions]),
      ("device answers", "DELETE FROM device_answer WHERE at < ?", [cutoffs.deviceAnswers]),
      (
        "parental consents",
        "DELETE FROM parental_consent WHERE endedAt IS NOT NULL AND endedAt < ?", [cutoffs.parentalConsentsEnded]
      ),
      ("challenges", "DELETE FROM challenge WHERE issuedAt < ?", [cutoffs.challenges]),
      ("deletion log", "DELETE FROM deletion_log WHERE at < ?", [cutoffs.deletionLog]),
      ("code budgets", "DELETE FROM code_budget WHERE at < ?", [cutoffs.codeBudgets]),
    ]
    return try writeReturning { db in
      var counts: [String: Int] = [:]
      for (name, sql, arguments) in categories {
        let count = sql.replacingOccurrences(of: "DELETE FROM", with: "SELECT COUNT(*) FROM")
        let found = try Int.fetchOne(db, sql: count, arguments: StatementArguments(arguments)) ?? 0
        counts[name] = found
        if !dryRun && found > 0 {
          try db.execute(sql: sql, arguments: StatementArguments(arguments))
        }
      }
      if !dryRun {
        let total = counts.values.reduce(0, +)
        if total > 0 {
          let detail = counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            .joined(separator: ", ")
          try db.execute(
            sql: "INSERT INTO deletion_log (at, reference, reason, detail) VALUES (?, NULL, ?, ?)",
            arguments: [cutoffs.now, "retention period passed (policychat admin purge)", detail])
        }
      }
      return counts
    }
  }

  private static func consent(from row: Row) -> ConsentRecord {
    ConsentRecord(
      subject: row["subject"], sessionId: row["sessionId"], purpose: row["purpose"], granted: row["granted"],
      at: row["at"], method: row["method"], policyVersion: row["policyVersion"], jurisdiction: row["jurisdiction"],
      expiresAt: row["expiresAt"])
  }
}
