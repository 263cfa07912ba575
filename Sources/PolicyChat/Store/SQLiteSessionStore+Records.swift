import Foundation
import GRDB

/// Records in and out: each kind is a GRDB record (its `Codable` conformance maps the
/// fields to the columns of the same names), and a ``RecordQuery`` becomes one statement.
extension SQLiteSessionStore {
  public func save<Record: StoredRecord>(_ record: Record) throws(EngineError) {
    let persistable = try Self.persistable(record)
    try write { db in
      if Record.key.isEmpty || Record.appendOnly {
        try persistable.insert(db)
      } else {
        // An upsert (INSERT ... ON CONFLICT DO UPDATE), not INSERT OR REPLACE: a replace
        // deletes the old row first, which would cascade to the turns of a session.
        try persistable.upsert(db)
      }
    }
  }

  public func insert<Record: StoredRecord>(_ record: Record) throws(EngineError) {
    let persistable = try Self.persistable(record)
    try write { db in try persistable.insert(db) }
  }

  public func records<Record: StoredRecord>(
    _ kind: Record.Type, matching query: RecordQuery<Record>
  ) throws(EngineError) -> [Record] {
    let type = try Self.fetchable(kind)
    let (clause, arguments) = Self.whereClause(query)
    var sql = "SELECT * FROM \(Self.quoted(Record.table))\(clause) ORDER BY \(Self.orderClause(query))"
    if let limit = query.limit { sql += " LIMIT \(max(limit, 0))" }
    return try read { db in
      // A cached statement: the same few queries run on every turn.
      try Self.fetchAll(type, db.cachedStatement(sql: sql), arguments).compactMap { $0 as? Record }
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
    var values = StatementArguments(fields.map { Self.databaseValue($0.value) })
    values += arguments
    return try writeReturning { db in
      try db.execute(
        sql: "UPDATE \(Self.quoted(Record.table)) SET \(assignments)\(clause)", arguments: values)
      return db.changesCount
    }
  }

  public func delete<Record: StoredRecord>(
    _ kind: Record.Type, matching query: RecordQuery<Record>
  ) throws(EngineError) -> Int {
    let (clause, arguments) = Self.whereClause(query)
    return try writeReturning { db in
      try db.execute(sql: "DELETE FROM \(Self.quoted(Record.table))\(clause)", arguments: arguments)
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
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
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
    return (clause, StatementArguments(values))
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
    case .date(let date): date.databaseValue
    }
  }
}

// The record kinds as GRDB records over the tables of the migrations.
// The records written on every session or turn map their columns by hand: GRDB's
// `Codable` encoding of a record cost about a tenth of a plain question's turn (perf,
// issue 18). The column names are the `CodingKeys`, and the values are what the `Codable`
// path writes (dates as GRDB's "YYYY-MM-DD HH:MM:SS.SSS" UTC text); StoreConformanceTests
// read them back through `Codable`.
extension SessionRecord: FetchableRecord, PersistableRecord {
  public static var databaseTableName: String { table }

  public func encode(to container: inout PersistenceContainer) {
    container[CodingKeys.id.rawValue] = id
    container[CodingKeys.openedAt.rawValue] = openedAt
    container[CodingKeys.closedAt.rawValue] = closedAt
    container[CodingKeys.country.rawValue] = country
    container[CodingKeys.locale.rawValue] = locale
  }
}

extension TurnRecord: FetchableRecord, PersistableRecord {
  public static var databaseTableName: String { table }

  public func encode(to container: inout PersistenceContainer) {
    container[CodingKeys.sessionId.rawValue] = sessionId
    container[CodingKeys.sequence.rawValue] = sequence
    container[CodingKeys.at.rawValue] = at
    container[CodingKeys.intent.rawValue] = intent
    container[CodingKeys.confidence.rawValue] = confidence
    container[CodingKeys.method.rawValue] = method
    container[CodingKeys.sources.rawValue] = sources
  }
}

extension SettingRecord: FetchableRecord, PersistableRecord {
  public static var databaseTableName: String { table }
}

extension DecisionRecord: FetchableRecord, PersistableRecord {
  public static var databaseTableName: String { table }

  public func encode(to container: inout PersistenceContainer) {
    container[CodingKeys.sessionId.rawValue] = sessionId
    container[CodingKeys.at.rawValue] = at
    container[CodingKeys.kind.rawValue] = kind
    container[CodingKeys.outcome.rawValue] = outcome
    container[CodingKeys.rule.rawValue] = rule
    container[CodingKeys.facts.rawValue] = facts
  }
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

  public func encode(to container: inout PersistenceContainer) {
    container[CodingKeys.sessionId.rawValue] = sessionId
    container[CodingKeys.subject.rawValue] = subject
    container[CodingKeys.sequence.rawValue] = sequence
    container[CodingKeys.at.rawValue] = at
    container[CodingKeys.speaker.rawValue] = speaker
    container[CodingKeys.text.rawValue] = text
  }
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
