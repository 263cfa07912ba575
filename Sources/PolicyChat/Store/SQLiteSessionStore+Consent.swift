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
}
