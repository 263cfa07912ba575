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
}
