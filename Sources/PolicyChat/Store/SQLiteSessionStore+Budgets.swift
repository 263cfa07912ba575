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

  public func budgetSpent(keys: [String], since: Date) throws(EngineError) -> [String: [Date]] {
    try read { db in
      var spent: [String: [Date]] = [:]
      let statement = try db.cachedStatement(sql: "SELECT at FROM code_budget WHERE key = ? AND at > ? ORDER BY at")
      for key in keys {
        spent[key] = try Date.fetchAll(statement, arguments: [key, since])
      }
      return spent
    }
  }

  public func spendBudget(keys: [String], at: Date) throws(EngineError) {
    try write { db in
      let statement = try db.cachedStatement(sql: "INSERT INTO code_budget (key, at) VALUES (?, ?)")
      for key in keys { try statement.execute(arguments: [key, at]) }
    }
  }
}
