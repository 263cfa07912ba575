import Foundation
import GRDB

/// The spending of the one-time-code budgets (knowledge/verification.yaml): one row per
/// code sent or wrong code typed, under each key it counts against. Keys are keyed hashes
/// and ids, never an address.
extension SQLiteSessionStore {
  static func registerBudgetMigration(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("v6-code-budgets") { db in
      try db.create(table: "code_budget") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("key", .text).notNull()
        t.column("at", .datetime).notNull()
      }
      try db.create(index: "code_budget_on_key_at", on: "code_budget", columns: ["key", "at"])
    }
  }
}
