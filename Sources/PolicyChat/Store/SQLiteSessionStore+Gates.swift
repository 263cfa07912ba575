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
}
