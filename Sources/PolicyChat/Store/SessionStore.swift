import Foundation

/// Where the engine keeps its records: records in, records out. It holds no rules: what an
/// erasure removes, what retention purges, what an export contains and how contact details
/// are sealed are the engine's (``StoredRecord`` lists the kinds; docs/STORE.md says how to
/// implement one and run the conformance suite against it).
///
/// The library ships ``SQLiteSessionStore`` (the embedded default) and
/// ``InMemorySessionStore``. Every call is synchronous and may come from any thread.
public protocol SessionStore: Sendable {
  /// Writes a record, replacing the one with the same ``StoredRecord/key`` if there is one
  /// (a kind without a key is appended). Refused for an ``StoredRecord/appendOnly`` kind
  /// when a record with the same key exists.
  func save<Record: StoredRecord>(_ record: Record) throws(EngineError)
  /// Appends a record; refused when one with the same key exists already.
  func insert<Record: StoredRecord>(_ record: Record) throws(EngineError)
  /// The records a query selects, in its order (and then in the order they were written).
  func records<Record: StoredRecord>(
    _ kind: Record.Type, matching query: RecordQuery<Record>
  ) throws(EngineError) -> [Record]
  /// How many records a query selects (its order and limit aside).
  func count<Record: StoredRecord>(_ kind: Record.Type, matching query: RecordQuery<Record>) throws(EngineError) -> Int
  /// Sets fields of what a query selects (its order and limit aside) to new values, in one
  /// statement (a session's closing time, without reading the session first); returns how
  /// many records. Refused for an ``StoredRecord/appendOnly`` kind.
  func update<Record: StoredRecord>(
    _ kind: Record.Type, matching query: RecordQuery<Record>, set changes: [Record.Field: FieldValue]
  ) throws(EngineError) -> Int
  /// Deletes what a query selects (its order and limit aside); returns how many records.
  /// Refused for an ``StoredRecord/appendOnly`` kind.
  func delete<Record: StoredRecord>(_ kind: Record.Type, matching query: RecordQuery<Record>) throws(EngineError)
    -> Int

  /// Runs `body` so that the store calls it makes are kept all together or not at all, even
  /// if the process dies part-way (a request recorded but not carried out would stay open),
  /// and so that no other writer changes what `body` reads before it writes. Nested calls
  /// join the outer one; a thrown error rolls back everything since the outermost began.
  func atomically<T>(_ body: () throws(EngineError) -> T) throws(EngineError) -> T

  /// Overwrites what deleted records left behind (old copies of their pages in a journal,
  /// free space), so that the deleted data cannot be read from the files; the engine calls
  /// it after a deletion of personal data is committed, outside any transaction.
  func reclaimDeletedSpace() throws(EngineError)
  /// Ends the store's use of its database, leaving nothing of deleted data in its files; no
  /// call may follow.
  func closeDatabase() throws(EngineError)
}

extension SessionStore {
  /// The record with the given values in its key fields, in the order of
  /// ``StoredRecord/key``.
  public func record<Record: StoredRecord>(
    _ kind: Record.Type, key values: any FieldValueConvertible...
  ) throws(EngineError) -> Record? {
    let conditions = zip(Record.key, values).map { RecordQuery<Record>.Condition($0, .equals($1.fieldValue)) }
    return try records(kind, matching: RecordQuery(conditions, limit: 1)).first
  }

  /// The first record a query selects.
  public func first<Record: StoredRecord>(
    _ kind: Record.Type, matching query: RecordQuery<Record>
  ) throws(EngineError) -> Record? {
    try records(kind, matching: query.limited(to: 1)).first
  }

  /// Every stored turn of a session, in order.
  public func turns(sessionId: String) throws(EngineError) -> [TurnRecord] {
    try records(TurnRecord.self, matching: .all.equal(.sessionId, sessionId).ordered(by: .sequence))
  }
}
