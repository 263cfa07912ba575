import Foundation

/// A ``SessionStore`` that keeps its records in memory, for tests, previews and an
/// application that keeps nothing between runs. Every call takes one lock, and
/// ``atomically(_:)`` holds it for the whole body, so a transaction sees no other writer.
public final class InMemorySessionStore: SessionStore, @unchecked Sendable {
  // @unchecked: `tables` and `nextOrdinal` are only touched with `lock` held.
  private let lock = NSRecursiveLock()
  /// Records by table, each with its fields (for queries) and when it was written.
  private var tables: [String: [Entry]] = [:]
  private var nextOrdinal = 0
  /// How deep `atomically` calls are nested on the thread that holds the lock.
  private var depth = 0

  private struct Entry {
    var ordinal: Int
    var fields: RecordFields
    var record: any StoredRecord
  }

  public init() {}

  public func save<Record: StoredRecord>(_ record: Record) throws(EngineError) {
    try locked { () throws(EngineError) in
      let fields = try Self.fields(of: record)
      var entries = tables[Record.table] ?? []
      if !Record.key.isEmpty, let index = entries.firstIndex(where: { Self.sameKey($0.fields, fields, Record.self) }) {
        guard !Record.appendOnly else { throw Self.appendOnly(Record.self) }
        // As SQL's upsert: the record changes in place, keeping when it was first written.
        entries[index].fields = fields
        entries[index].record = record
      } else {
        entries.append(Entry(ordinal: ordinal(), fields: fields, record: record))
      }
      tables[Record.table] = entries
    }
  }

  public func insert<Record: StoredRecord>(_ record: Record) throws(EngineError) {
    try locked { () throws(EngineError) in
      let fields = try Self.fields(of: record)
      var entries = tables[Record.table] ?? []
      if !Record.key.isEmpty, entries.contains(where: { Self.sameKey($0.fields, fields, Record.self) }) {
        throw .storage(reason: "a \(Record.table) record with the same key exists already")
      }
      entries.append(Entry(ordinal: ordinal(), fields: fields, record: record))
      tables[Record.table] = entries
    }
  }

  public func records<Record: StoredRecord>(
    _ kind: Record.Type, matching query: RecordQuery<Record>
  ) throws(EngineError) -> [Record] {
    reading {
      var found = (tables[Record.table] ?? []).filter { Self.matches($0.fields, query) }
      found.sort { Self.precedes($0, $1, query.order) }
      if let limit = query.limit { found = Array(found.prefix(max(limit, 0))) }
      return found.compactMap { $0.record as? Record }
    }
  }

  public func count<Record: StoredRecord>(
    _ kind: Record.Type, matching query: RecordQuery<Record>
  ) throws(EngineError) -> Int {
    reading { (tables[Record.table] ?? []).count { Self.matches($0.fields, query) } }
  }

  public func update<Record: StoredRecord>(
    _ kind: Record.Type, matching query: RecordQuery<Record>, set changes: [Record.Field: FieldValue]
  ) throws(EngineError) -> Int {
    try locked { () throws(EngineError) -> Int in
      var entries = tables[Record.table] ?? []
      var updated = 0
      for index in entries.indices where Self.matches(entries[index].fields, query) {
        guard !Record.appendOnly else { throw Self.appendOnly(Record.self) }
        guard let record = entries[index].record as? Record else { continue }
        let changed = try Self.changing(record, changes, booleans: entries[index].fields.booleans)
        entries[index].fields = try Self.fields(of: changed)
        entries[index].record = changed
        updated += 1
      }
      tables[Record.table] = entries
      return updated
    }
  }

  public func delete<Record: StoredRecord>(
    _ kind: Record.Type, matching query: RecordQuery<Record>
  ) throws(EngineError) -> Int {
    try locked { () throws(EngineError) -> Int in
      let entries = tables[Record.table] ?? []
      let kept = entries.filter { !Self.matches($0.fields, query) }
      let deleted = entries.count - kept.count
      guard deleted > 0 else { return 0 }
      guard !Record.appendOnly else { throw Self.appendOnly(Record.self) }
      tables[Record.table] = kept
      return deleted
    }
  }

  public func atomically<T>(_ body: () throws(EngineError) -> T) throws(EngineError) -> T {
    lock.lock()
    defer { lock.unlock() }
    guard depth == 0 else { return try body() }
    let before = tables
    depth += 1
    defer { depth -= 1 }
    do {
      return try body()
    } catch {
      tables = before
      throw error
    }
  }

  /// Nothing deleted stays anywhere: the values are released.
  public func reclaimDeletedSpace() throws(EngineError) {}

  public func closeDatabase() throws(EngineError) {}

  private func locked<T>(_ body: () throws(EngineError) -> T) throws(EngineError) -> T {
    lock.lock()
    defer { lock.unlock() }
    return try body()
  }

  private func reading<T>(_ body: () -> T) -> T {
    lock.lock()
    defer { lock.unlock() }
    return body()
  }

  private func ordinal() -> Int {
    nextOrdinal += 1
    return nextOrdinal
  }

  private static func appendOnly<Record: StoredRecord>(_ kind: Record.Type) -> EngineError {
    .storage(reason: "the \(Record.table) records are append-only")
  }

  /// The record with some fields set, made by way of its own coding (it is flat, so its
  /// keyed JSON object is its fields).
  private static func changing<Record: StoredRecord>(
    _ record: Record, _ changes: [Record.Field: FieldValue], booleans: Set<String>
  ) throws(EngineError) -> Record {
    do {
      let encoder = JSONEncoder()
      guard var object = try JSONSerialization.jsonObject(with: encoder.encode(record)) as? [String: Any] else {
        throw EngineError.storage(reason: "a \(Record.table) record is not a struct of fields")
      }
      for (field, value) in changes {
        object[field.rawValue] = json(value, asBool: booleans.contains(field.rawValue))
      }
      return try JSONDecoder().decode(Record.self, from: JSONSerialization.data(withJSONObject: object))
    } catch let error as EngineError {
      throw error
    } catch {
      throw .storage(reason: "a \(Record.table) record cannot take the new values of its fields")
    }
  }

  /// A field's value as `JSONEncoder`'s default strategies write it.
  private static func json(_ value: FieldValue, asBool: Bool) -> Any {
    switch value {
    case .null: NSNull()
    case .integer(let number): asBool ? (number != 0) : number
    case .real(let number): number
    case .text(let text): text
    case .blob(let data): data.base64EncodedString()
    case .date(let date): date.timeIntervalSinceReferenceDate
    }
  }

  /// A record's fields, or a refusal naming the field a SQL column could not hold either.
  private static func fields<Record: StoredRecord>(of record: Record) throws(EngineError) -> RecordFields {
    let fields = RecordFields(record)
    if let field = fields.unsupported {
      throw .storage(reason: "a \(Record.table) record can hold only plain values, and \(field) is not one")
    }
    return fields
  }

  private static func sameKey<Record: StoredRecord>(_ a: RecordFields, _ b: RecordFields, _ kind: Record.Type) -> Bool {
    Record.key.allSatisfy { a[$0.rawValue] == b[$0.rawValue] }
  }

  private static func matches<Record: StoredRecord>(_ fields: RecordFields, _ query: RecordQuery<Record>) -> Bool {
    query.conditions.allSatisfy { $0.test.passes(fields[$0.field.rawValue]) }
  }

  /// SQL's ORDER BY over the query's keys, then the order written.
  private static func precedes<Record: StoredRecord>(
    _ a: Entry, _ b: Entry, _ order: [RecordQuery<Record>.Ordering]
  ) -> Bool {
    for key in order {
      let comparison: ComparisonResult
      if let field = key.field {
        let (x, y) = (a.fields[field.rawValue], b.fields[field.rawValue])
        // NULL first, as SQLite sorts it.
        switch (x, y) {
        case (.null, .null): comparison = .orderedSame
        case (.null, _): comparison = .orderedAscending
        case (_, .null): comparison = .orderedDescending
        default: comparison = x.compare(y) ?? .orderedSame
        }
      } else {
        comparison =
          a.ordinal < b.ordinal ? .orderedAscending : (a.ordinal > b.ordinal ? .orderedDescending : .orderedSame)
      }
      if comparison != .orderedSame { return (comparison == .orderedAscending) != key.descending }
    }
    return a.ordinal < b.ordinal
  }
}
