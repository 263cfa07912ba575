import Foundation
import GRDB

/// Records in and out: each kind is a GRDB record (its `Codable` conformance maps the
/// fields to the columns of the same names), and a ``RecordQuery`` becomes one statement.
extension SQLiteSessionStore {
  public func save<Record: StoredRecord>(_ record: Record) throws(EngineError) {
    if Record.key.isEmpty || Record.appendOnly { return try insert(record) }
    let persistable = try Self.persistable(record)
    // An upsert (INSERT ... ON CONFLICT DO UPDATE), not INSERT OR REPLACE: a replace deletes
    // the old row first, which would cascade to the turns of a session.
    try write { db in try persistable.upsert(db) }
  }

  public func insert<Record: StoredRecord>(_ record: Record) throws(EngineError) {
    // One cached INSERT of the record's fields (``RecordFields``), without GRDB's `Codable`
    // encoding, persistence callbacks and schema look-ups: they were about a tenth of a
    // plain question's turn, which writes a session, a turn and often a decision (perf,
    // issue 18).
    let (sql, arguments) = try Self.insertStatement(record)
    try write { db in try db.cachedStatement(sql: sql).execute(arguments: arguments) }
  }

  public func records<Record: StoredRecord>(
    _ kind: Record.Type, matching query: RecordQuery<Record>
  ) throws(EngineError) -> [Record] {
    let type = try Self.fetchable(kind)
    let (clause, arguments) = Self.whereClause(query)
    var sql = "SELECT * FROM \(Self.quoted(Record.table))\(clause) ORDER BY \(Self.orderClause(query))"
    if let limit = query.limit { sql += " LIMIT \(max(limit, 0))" }
    return try read { db in
      try Self.fetchAll(type, Self.statement(sql, in: db, cached: Self.cacheable(query)), arguments)
        .compactMap { $0 as? Record }
    }
  }

  public func count<Record: StoredRecord>(
    _ kind: Record.Type, matching query: RecordQuery<Record>
  ) throws(EngineError) -> Int {
    let (clause, arguments) = Self.whereClause(query)
    return try read { db in
      try Int.fetchOne(
        db.cachedStatement(sql: "SELECT COUNT(*) FROM \(Self.quoted(Record.table))\(clause)"), arguments: arguments)
        ?? 0
    }
  }

  public func update<Record: StoredRecord>(
    _ kind: Record.Type, matching query: RecordQuery<Record>, set changes: [Record.Field: FieldValue]
  ) throws(EngineError) -> Int {
    guard !Record.appendOnly else { throw .storage(reason: "the \(Record.table) records are append-only") }
    let fields = changes.sorted { $0.key.rawValue < $1.key.rawValue }
    guard !fields.isEmpty else { return try count(kind, matching: query) }
    let (clause, arguments) = Self.whereClause(query)
    let assignments = fields.map { "\(Self.quoted($0.key.rawValue)) = ?" }.joined(separator: ", ")
    var values = Self.arguments(fields.map { Self.databaseValue($0.value) })
    values += arguments
    let sql = "UPDATE \(Self.quoted(Record.table)) SET \(assignments)\(clause)"
    return try writeReturning { db in
      try Self.statement(sql, in: db, cached: Self.cacheable(query)).execute(arguments: values)
      return db.changesCount
    }
  }

  public func delete<Record: StoredRecord>(
    _ kind: Record.Type, matching query: RecordQuery<Record>
  ) throws(EngineError) -> Int {
    let (clause, arguments) = Self.whereClause(query)
    let sql = "DELETE FROM \(Self.quoted(Record.table))\(clause)"
    return try writeReturning { db in
      try Self.statement(sql, in: db, cached: Self.cacheable(query)).execute(arguments: arguments)
      return db.changesCount
    }
  }

  private static func persistable(_ record: some StoredRecord) throws(EngineError) -> any PersistableRecord {
    guard let persistable = record as? any PersistableRecord else { throw unknownKind(type(of: record)) }
    return persistable
  }

  private static func fetchable<Record: StoredRecord>(
    _ kind: Record.Type
  ) throws(EngineError) -> any FetchableRecord.Type {
    guard let type = kind as? any FetchableRecord.Type else { throw unknownKind(kind) }
    return type
  }

  private static func fetchAll<T: FetchableRecord>(
    _ type: T.Type, _ statement: Statement, _ arguments: StatementArguments
  ) throws -> [T] {
    try T.fetchAll(statement, arguments: arguments)
  }

  private static func unknownKind<Record: StoredRecord>(_ kind: Record.Type) -> EngineError {
    .storage(reason: "the SQLite store has no table for \(Record.table) records")
  }

  static func quoted(_ name: String) -> String {
    // Field names have no quote: the Foundation replacement only when one does.
    guard name.utf8.contains(UInt8(ascii: "\"")) else { return "\"" + name + "\"" }
    return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// A prepared statement, kept in the connection's cache when its text is one of the few
  /// every turn runs (not when it lists values, whose count varies).
  private static func statement(_ sql: String, in db: Database, cached: Bool) throws -> Statement {
    cached ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
  }

  /// Bound values, through GRDB's initialiser of optional existentials: its generic one
  /// builds a key path on every call (perf, issue 18).
  private static func arguments(_ values: [DatabaseValue]) -> StatementArguments {
    StatementArguments(values.map { value -> (any DatabaseValueConvertible)? in value })
  }

  private static func cacheable<Record: StoredRecord>(_ query: RecordQuery<Record>) -> Bool {
    !query.conditions.contains { if case .isIn = $0.test { true } else { false } }
  }

  static func insertStatement<Record: StoredRecord>(_ record: Record) throws(EngineError) -> (
    String, StatementArguments
  ) {
    let fields = RecordFields(record)
    if let field = fields.unsupported {
      throw .storage(reason: "a \(Record.table) record can hold only plain values, and \(field) is not one")
    }
    // A closure, not `\.rawValue`: on a generic type the key path is built at run time
    // on every call, and that was a fiftieth of a turn (perf, issue 21).
    let columns = Record.Field.allCases.map { $0.rawValue }
    let names = columns.map(quoted).joined(separator: ", ")
    let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
    return (
      "INSERT INTO \(quoted(Record.table)) (\(names)) VALUES (\(marks))",
      arguments(columns.map { databaseValue(fields[$0]) })
    )
  }

  /// ` WHERE ...` (or nothing) and its bound values: never a value in the SQL itself.
  static func whereClause<Record: StoredRecord>(
    _ query: RecordQuery<Record>
  ) -> (String, StatementArguments) {
    var clauses: [String] = []
    var values: [DatabaseValue] = []
    for condition in query.conditions {
      let column = quoted(condition.field.rawValue)
      func compare(_ operation: String, _ value: FieldValue) {
        clauses.append("\(column) \(operation) ?")
        values.append(databaseValue(value))
      }
      switch condition.test {
      case .equals(let value): compare("=", value)
      case .notEquals(let value): compare("!=", value)
      case .before(let value): compare("<", value)
      case .notAfter(let value): compare("<=", value)
      case .after(let value): compare(">", value)
      case .notBefore(let value): compare(">=", value)
      case .isNil: clauses.append("\(column) IS NULL")
      case .isNotNil: clauses.append("\(column) IS NOT NULL")
      case .lacksPrefix(let prefix):
        clauses.append("substr(\(column), 1, \(prefix.count)) != ?")
        values.append(prefix.databaseValue)
      case .isIn(let list):
        if list.isEmpty {
          clauses.append("0")
        } else {
          clauses.append("\(column) IN (\(Array(repeating: "?", count: list.count).joined(separator: ", ")))")
          values += list.map(databaseValue)
        }
      }
    }
    let clause = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
    return (clause, arguments(values))
  }

  /// The query's order, then the order written (`rowid`).
  static func orderClause<Record: StoredRecord>(_ query: RecordQuery<Record>) -> String {
    var keys = query.order.map { key in
      (key.field.map { quoted($0.rawValue) } ?? "rowid") + (key.descending ? " DESC" : "")
    }
    if query.order.last?.field != nil || query.order.isEmpty { keys.append("rowid") }
    return keys.joined(separator: ", ")
  }

  static func databaseValue(_ value: FieldValue) -> DatabaseValue {
    switch value {
    case .null: .null
    case .integer(let number): number.databaseValue
    case .real(let number): number.databaseValue
    case .text(let text): text.databaseValue
    case .blob(let data): data.databaseValue
    case .date(let date): StoredDateText.databaseValue(date)
    }
  }
}

// The record kinds as GRDB records over the tables of the migrations: read through their
// `Codable` conformance, and upserted through it by `save`; `insert` writes their fields.
extension SessionRecord: FetchableRecord, PersistableRecord {
  public static var databaseTableName: String { table }
}

extension TurnRecord: FetchableRecord, PersistableRecord {
  public static var databaseTableName: String { table }
}

extension SettingRecord: FetchableRecord, PersistableRecord {
  public static var databaseTableName: String { table }
}

extension DecisionRecord: FetchableRecord, PersistableRecord {
  public static var databaseTableName: String { table }
}

extension DeviceAnswerRecord: FetchableRecord, PersistableRecord {
  public static var databaseTableName: String { table }
}

extension ParentalConsentRecord: FetchableRecord, PersistableRecord {
  public static var databaseTableName: String { table }
}

extension ChallengeRecord: FetchableRecord, PersistableRecord {
  public static var databaseTableName: String { table }
}

extension BudgetSpendRecord: FetchableRecord, PersistableRecord {
  public static var databaseTableName: String { table }
}

extension DeletionRecord: FetchableRecord, PersistableRecord {
  public static var databaseTableName: String { table }
}

extension ConsentRecord: FetchableRecord, PersistableRecord {
  public static var databaseTableName: String { table }
}

extension TranscriptLine: FetchableRecord, PersistableRecord {
  public static var databaseTableName: String { table }
}

extension StoredSubject: FetchableRecord, PersistableRecord {
  public static var databaseTableName: String { table }
}

extension SubjectLinkRecord: FetchableRecord, PersistableRecord {
  public static var databaseTableName: String { table }
}

extension StoredRequest: FetchableRecord, PersistableRecord {
  public static var databaseTableName: String { table }
}

extension AuditRecord: FetchableRecord, PersistableRecord {
  public static var databaseTableName: String { table }
}
