import Foundation
import PolicyChat
import PostgresNIO

/// Records in and out: a record's fields are its columns (``RecordFields``), and a
/// ``RecordQuery`` becomes one statement with its values bound, never written into the SQL.
extension PostgresSessionStore {
  public func save<Record: StoredRecord>(_ record: Record) throws(EngineError) {
    guard !Record.key.isEmpty, !Record.appendOnly else { return try insert(record) }
    let (columns, values) = try Self.row(record)
    let keys = Record.key.map(\.rawValue)
    let others = columns.filter { !keys.contains($0) }
    // An upsert: the row changes in place and keeps its place in the order written.
    let conflict =
      others.isEmpty
      ? "DO NOTHING"
      : "DO UPDATE SET " + others.map { "\(quoted($0)) = EXCLUDED.\(quoted($0))" }.joined(separator: ", ")
    let sql =
      Self.insertSQL(Record.table, columns) + " ON CONFLICT (" + keys.map(quoted).joined(separator: ", ")
      + ") " + conflict
    try standalone { connection in _ = try pool.run(sql, Self.binds(values), on: connection) }
  }

  public func insert<Record: StoredRecord>(_ record: Record) throws(EngineError) {
    let (columns, values) = try Self.row(record)
    let sql = Self.insertSQL(Record.table, columns)
    do {
      try standalone(savepoint: true) { connection in _ = try pool.run(sql, Self.binds(values), on: connection) }
    } catch {
      if case .storage(let reason) = error, reason.contains("23505") {
        throw .storage(reason: "a \(Record.table) record with the same key exists already")
      }
      throw error
    }
  }

  public func records<Record: StoredRecord>(
    _ kind: Record.Type, matching query: RecordQuery<Record>
  ) throws(EngineError) -> [Record] {
    let columns = Record.Field.allCases.map(\.rawValue)
    var values: [FieldValue] = []
    var sql =
      "SELECT " + columns.map(quoted).joined(separator: ", ") + " FROM \(quoted(Record.table))"
      + Self.whereClause(query, &values) + " ORDER BY " + Self.orderClause(query)
    if let limit = query.limit { sql += " LIMIT \(max(limit, 0))" }
    let rows = try standalone { connection in try pool.run(sql, Self.binds(values), on: connection).rows }
    var records: [Record] = []
    records.reserveCapacity(rows.count)
    for row in rows {
      var fields: [String: FieldValue] = [:]
      for cell in row { fields[cell.columnName] = try Self.fieldValue(cell) }
      records.append(try RecordFields.record(Record.self, from: fields))
    }
    return records
  }

  public func count<Record: StoredRecord>(
    _ kind: Record.Type, matching query: RecordQuery<Record>
  ) throws(EngineError) -> Int {
    var values: [FieldValue] = []
    let sql = "SELECT COUNT(*) FROM \(quoted(Record.table))" + Self.whereClause(query, &values)
    return try standalone { connection in
      let rows = try pool.run(sql, Self.binds(values), on: connection).rows
      return try rows.first.map { try Int($0.decode(Int64.self)) } ?? 0
    }
  }

  public func update<Record: StoredRecord>(
    _ kind: Record.Type, matching query: RecordQuery<Record>, set changes: [Record.Field: FieldValue]
  ) throws(EngineError) -> Int {
    guard !Record.appendOnly else { throw .storage(reason: "the \(Record.table) records are append-only") }
    let fields = changes.sorted { $0.key.rawValue < $1.key.rawValue }
    guard !fields.isEmpty else { return try count(kind, matching: query) }
    var values = fields.map(\.value)
    let assignments = fields.enumerated().map { "\(quoted($1.key.rawValue)) = $\($0 + 1)" }.joined(separator: ", ")
    let sql = "UPDATE \(quoted(Record.table)) SET \(assignments)" + Self.whereClause(query, &values)
    return try standalone { connection in
      try pool.run(sql, Self.binds(values), on: connection).metadata.rows ?? 0
    }
  }

  public func delete<Record: StoredRecord>(
    _ kind: Record.Type, matching query: RecordQuery<Record>
  ) throws(EngineError) -> Int {
    var values: [FieldValue] = []
    let sql = "DELETE FROM \(quoted(Record.table))" + Self.whereClause(query, &values)
    do {
      return try standalone(savepoint: true) { connection in
        try pool.run(sql, Self.binds(values), on: connection).metadata.rows ?? 0
      }
    } catch {
      if Record.appendOnly { throw .storage(reason: "the \(Record.table) records are append-only") }
      throw error
    }
  }

  // SQL

  private static func row<Record: StoredRecord>(_ record: Record) throws(EngineError) -> ([String], [FieldValue]) {
    let fields = RecordFields(record)
    if let field = fields.unsupported {
      throw .storage(reason: "a \(Record.table) record can hold only plain values, and \(field) is not one")
    }
    let columns = Record.Field.allCases.map(\.rawValue)
    return (columns, columns.map { fields[$0] })
  }

  private static func insertSQL(_ table: String, _ columns: [String]) -> String {
    "INSERT INTO \(quoted(table)) (" + columns.map(quoted).joined(separator: ", ") + ") VALUES ("
      + (1...max(columns.count, 1)).map { "$\($0)" }.joined(separator: ", ") + ")"
  }

  /// ` WHERE ...` (or nothing), its values appended to `values` and numbered after them.
  static func whereClause<Record: StoredRecord>(_ query: RecordQuery<Record>, _ values: inout [FieldValue]) -> String {
    var clauses: [String] = []
    func parameter(_ value: FieldValue) -> String {
      values.append(value)
      return "$\(values.count)"
    }
    for condition in query.conditions {
      let column = quoted(condition.field.rawValue)
      switch condition.test {
      case .equals(let value): clauses.append("\(column) = \(parameter(value))")
      case .notEquals(let value): clauses.append("\(column) != \(parameter(value))")
      case .before(let value): clauses.append("\(column) < \(parameter(value))")
      case .notAfter(let value): clauses.append("\(column) <= \(parameter(value))")
      case .after(let value): clauses.append("\(column) > \(parameter(value))")
      case .notBefore(let value): clauses.append("\(column) >= \(parameter(value))")
      case .isNil: clauses.append("\(column) IS NULL")
      case .isNotNil: clauses.append("\(column) IS NOT NULL")
      case .lacksPrefix(let prefix):
        clauses.append("substr(\(column), 1, \(prefix.count)) != \(parameter(.text(prefix)))")
      case .isIn(let list):
        clauses.append(list.isEmpty ? "FALSE" : "\(column) IN (" + list.map(parameter).joined(separator: ", ") + ")")
      }
    }
    return clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
  }

  /// The query's order, then the order written (`id` or `rowOrder`).
  static func orderClause<Record: StoredRecord>(_ query: RecordQuery<Record>) -> String {
    let written = quoted(PostgresSchema.orderColumn(of: Record.table))
    var keys = query.order.map { key in
      (key.field.map { quoted($0.rawValue) } ?? written) + (key.descending ? " DESC" : "")
    }
    if query.order.last?.field != nil || query.order.isEmpty { keys.append(written) }
    return keys.joined(separator: ", ")
  }

  static func binds(_ values: [FieldValue]) throws -> PostgresBindings {
    var bindings = PostgresBindings(capacity: values.count)
    for value in values {
      switch value {
      case .null: bindings.appendNull()
      case .integer(let number): bindings.append(number)
      case .real(let number): bindings.append(number)
      case .text(let text): bindings.append(text)
      case .blob(let data): try bindings.append(data)
      case .date(let date): bindings.append(date)
      }
    }
    return bindings
  }

  static func binds(_ values: FieldValue...) throws -> PostgresBindings {
    try binds(values)
  }

  private static func fieldValue(_ cell: PostgresCell) throws(EngineError) -> FieldValue {
    guard cell.bytes != nil else { return .null }
    do {
      switch cell.dataType {
      case .int8, .int4, .int2: return .integer(try cell.decode(Int64.self))
      case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
      case .float8, .float4: return .real(try cell.decode(Double.self))
      case .bytea: return .blob(try cell.decode(Data.self))
      case .timestamptz, .timestamp: return .date(try cell.decode(Date.self))
      default: return .text(try cell.decode(String.self))
      }
    } catch {
      throw .storage(reason: "the column \(cell.columnName) holds a value of an unexpected type")
    }
  }
}

/// A name as a quoted SQL identifier.
func quoted(_ name: String) -> String {
  "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
