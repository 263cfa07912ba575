import Foundation

/// Which records of a kind a ``SessionStore`` call reads, counts or deletes: a conjunction
/// of conditions on fields, an order and a limit. Each part is one clause of plain SQL
/// (`WHERE a = ? AND b IN (?, ?) AND c < ? AND d IS NULL ORDER BY e DESC LIMIT 1`), so that
/// any SQL store can implement it; the in-memory store evaluates the same clauses.
public struct RecordQuery<Record: StoredRecord>: Sendable, Equatable {
  /// One condition on one field.
  public enum Test: Sendable, Equatable {
    /// `=`; a `null` field equals nothing.
    case equals(FieldValue)
    /// `!=`; a `null` field is not unequal to anything either, as in SQL.
    case notEquals(FieldValue)
    /// `IN (...)`; an empty list matches nothing.
    case isIn([FieldValue])
    /// `<`
    case before(FieldValue)
    /// `<=`
    case notAfter(FieldValue)
    /// `>`
    case after(FieldValue)
    /// `>=`
    case notBefore(FieldValue)
    /// `IS NULL`
    case isNil
    /// `IS NOT NULL`
    case isNotNil
    /// Text that does not begin with the prefix: `substr(field, 1, n) != ?`, `n` the
    /// prefix's length in characters; a `null` field passes neither way, as in SQL.
    case lacksPrefix(String)
  }

  public struct Condition: Sendable, Equatable {
    public var field: Record.Field
    public var test: Test

    public init(_ field: Record.Field, _ test: Test) {
      self.field = field
      self.test = test
    }
  }

  /// One key of the order. Records that tie on every key come in the order they were
  /// written (SQLite's rowid, a serial column elsewhere), which is also the last key of
  /// every query.
  public struct Ordering: Sendable, Equatable {
    /// nil: the order the records were written in.
    public var field: Record.Field?
    public var descending: Bool

    public init(_ field: Record.Field?, descending: Bool = false) {
      self.field = field
      self.descending = descending
    }
  }

  public var conditions: [Condition]
  /// Fields ordered by should hold no `null`: SQL databases differ in where they put it.
  public var order: [Ordering]
  public var limit: Int?

  public init(_ conditions: [Condition] = [], order: [Ordering] = [], limit: Int? = nil) {
    self.conditions = conditions
    self.order = order
    self.limit = limit
  }

  /// Every record of the kind, in the order written.
  public static var all: RecordQuery { RecordQuery() }

  // Builders, so that a query reads as one line at its call site.

  public func matching(_ field: Record.Field, _ test: Test) -> RecordQuery {
    var query = self
    query.conditions.append(Condition(field, test))
    return query
  }

  public func equal(_ field: Record.Field, _ value: some FieldValueConvertible) -> RecordQuery {
    matching(field, .equals(value.fieldValue))
  }

  public func notEqual(_ field: Record.Field, _ value: some FieldValueConvertible) -> RecordQuery {
    matching(field, .notEquals(value.fieldValue))
  }

  public func among(_ field: Record.Field, _ values: [some FieldValueConvertible]) -> RecordQuery {
    matching(field, .isIn(values.map(\.fieldValue)))
  }

  public func before(_ field: Record.Field, _ value: some FieldValueConvertible) -> RecordQuery {
    matching(field, .before(value.fieldValue))
  }

  public func notAfter(_ field: Record.Field, _ value: some FieldValueConvertible) -> RecordQuery {
    matching(field, .notAfter(value.fieldValue))
  }

  public func after(_ field: Record.Field, _ value: some FieldValueConvertible) -> RecordQuery {
    matching(field, .after(value.fieldValue))
  }

  public func notBefore(_ field: Record.Field, _ value: some FieldValueConvertible) -> RecordQuery {
    matching(field, .notBefore(value.fieldValue))
  }

  public func isNil(_ field: Record.Field) -> RecordQuery {
    matching(field, .isNil)
  }

  public func isNotNil(_ field: Record.Field) -> RecordQuery {
    matching(field, .isNotNil)
  }

  public func lacksPrefix(_ field: Record.Field, _ prefix: String) -> RecordQuery {
    matching(field, .lacksPrefix(prefix))
  }

  public func ordered(by field: Record.Field, descending: Bool = false) -> RecordQuery {
    var query = self
    query.order.append(Ordering(field, descending: descending))
    return query
  }

  /// Ordered by when the records were written (a tie-breaker already; descending is not).
  public func orderedByWriting(descending: Bool = false) -> RecordQuery {
    var query = self
    query.order.append(Ordering(nil, descending: descending))
    return query
  }

  public func limited(to limit: Int) -> RecordQuery {
    var query = self
    query.limit = limit
    return query
  }

  /// The query that finds the record with the same key as `record`.
  public static func sameKey(as record: Record) -> RecordQuery {
    let fields = RecordFields(record)
    return RecordQuery(Record.key.map { Condition($0, .equals(fields[$0.rawValue])) })
  }
}

extension RecordQuery.Test {
  /// Whether a field's value passes, the way SQL evaluates the clause.
  public func passes(_ value: FieldValue) -> Bool {
    switch self {
    case .equals(let wanted): return value.compare(wanted) == .orderedSame
    case .notEquals(let wanted):
      guard let order = value.compare(wanted) else { return false }
      return order != .orderedSame
    case .isIn(let values): return values.contains { value.compare($0) == .orderedSame }
    case .before(let bound): return value.compare(bound) == .orderedAscending
    case .notAfter(let bound): return [.orderedAscending, .orderedSame].contains(value.compare(bound))
    case .after(let bound): return value.compare(bound) == .orderedDescending
    case .notBefore(let bound): return [.orderedDescending, .orderedSame].contains(value.compare(bound))
    case .isNil: return value == .null
    case .isNotNil: return value != .null
    case .lacksPrefix(let prefix):
      guard case .text(let text) = value else { return false }
      return !text.hasPrefix(prefix)
    }
  }
}
