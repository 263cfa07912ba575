import Foundation
import GRDB

extension SQLiteSessionStore {
  /// A blind index beside each data subject's address: the address itself is sealed
  /// (``FieldCipher``), so lookups by address go through its keyed hash.
  static func registerContactEncryptionMigration(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("v5-encrypted-contacts") { db in
      try db.alter(table: "data_subject") { t in
        t.add(column: "emailIndex", .text)
      }
      try db.create(index: "data_subject_on_emailIndex", on: "data_subject", columns: ["emailIndex"])
      // An index of sealed values finds nothing: lookups go through emailIndex now.
      try db.execute(sql: "DROP INDEX IF EXISTS data_subject_on_email")
    }
  }
}
