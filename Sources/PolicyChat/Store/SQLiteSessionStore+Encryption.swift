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

  /// Seals every contact detail still in the clear (written before encryption) and
  /// re-seals those sealed under an earlier key, recomputing their index: opening the store
  /// with a new key and the old one as a previous key is the whole of a rotation. One
  /// transaction, so a process killed half-way leaves every value as it was. Returns how
  /// many values it sealed.
  static func sealContactDetails(in writer: any DatabaseWriter, cipher: FieldCipher) throws -> Int {
    let current = FieldCipher.prefix + cipher.keys.currentId + ":%"
    // Cheap when there is nothing to do, which is every start but the first after a change.
    let pending = try writer.read { db in
      try Int.fetchOne(
        db,
        sql: """
          SELECT (SELECT count(*) FROM data_subject WHERE email IS NOT NULL AND email NOT LIKE ?1)
               + (SELECT count(*) FROM parental_consent WHERE parentContact IS NOT NULL AND parentContact NOT LIKE ?1)
          """,
        arguments: [current]) ?? 0
    }
    guard pending > 0 else { return 0 }
    let sealed = try writer.write { db in
      var sealed = 0
      let subjects = try Row.fetchAll(
        db, sql: "SELECT id, email FROM data_subject WHERE email IS NOT NULL AND email NOT LIKE ?", arguments: [current]
      )
      for row in subjects {
        let email = try cipher.open(row["email"] as String)
        try db.execute(
          sql: "UPDATE data_subject SET email = ?, emailIndex = ? WHERE id = ?",
          arguments: [try cipher.seal(email), cipher.index(email), row["id"] as String])
        sealed += 1
      }
      let parents = try Row.fetchAll(
        db,
        sql:
          "SELECT reference, parentContact FROM parental_consent WHERE parentContact IS NOT NULL AND parentContact NOT LIKE ?",
        arguments: [current])
      for row in parents {
        let contact = try cipher.open(row["parentContact"] as String)
        try db.execute(
          sql: "UPDATE parental_consent SET parentContact = ? WHERE reference = ?",
          arguments: [try cipher.seal(contact), row["reference"] as String])
        sealed += 1
      }
      return sealed
    }
    // The old values' pages are still in the WAL until a checkpoint copies the new ones
    // into the file; truncating it then leaves no copy under the old key. Another process
    // reading at this moment makes the checkpoint give up: the next one will do it.
    _ = try? writer.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    return sealed
  }
}
