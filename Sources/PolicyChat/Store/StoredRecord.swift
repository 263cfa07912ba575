import Foundation

/// A kind of record the engine keeps in a ``SessionStore``: a flat `Codable` value whose
/// coding keys are the columns of its table, so that a store over a SQL database maps it
/// without code of its own (GRDB, PostgresNIO) and an in-memory store compares its fields.
///
/// Every field is a `String`, an integer, a `Double`, a `Bool`, a `Date` or `Data`, or an
/// optional of one: nothing nested.
public protocol StoredRecord: Codable, Sendable, Equatable {
  /// The record's fields, one per column; the raw value is the column's name.
  associatedtype Field: CodingKey, CaseIterable, Hashable, Sendable, RawRepresentable<String>

  /// The table (or collection) the records of this kind are kept in.
  static var table: String { get }
  /// The fields whose values identify one record: ``SessionStore/save(_:)`` replaces the
  /// record with the same values in them. Empty for a kind that is only ever appended.
  static var key: [Field] { get }
  /// Records of this kind are never changed or deleted once written (the audit log).
  static var appendOnly: Bool { get }
}

extension StoredRecord {
  public static var appendOnly: Bool { false }
}

/// A value in a record's field, or in a condition of a ``RecordQuery``, as a SQL database
/// would hold it. A `Bool` is an integer (0 or 1), as in SQLite.
public enum FieldValue: Sendable, Hashable {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)
  case blob(Data)
  case date(Date)

  /// How two values order, the way SQL compares them: nil when either is `null` or they
  /// are of different kinds (SQL's comparison with NULL is not true either way).
  public func compare(_ other: FieldValue) -> ComparisonResult? {
    func order<T: Comparable>(_ a: T, _ b: T) -> ComparisonResult {
      a < b ? .orderedAscending : (a > b ? .orderedDescending : .orderedSame)
    }
    switch (self, other) {
    case (.integer(let a), .integer(let b)): return order(a, b)
    case (.real(let a), .real(let b)): return order(a, b)
    case (.integer(let a), .real(let b)): return order(Double(a), b)
    case (.real(let a), .integer(let b)): return order(a, Double(b))
    case (.text(let a), .text(let b)): return order(a, b)
    case (.date(let a), .date(let b)): return order(a, b)
    case (.blob(let a), .blob(let b)):
      if a == b { return .orderedSame }
      return a.lexicographicallyPrecedes(b) ? .orderedAscending : .orderedDescending
    default: return nil
    }
  }
}

/// A Swift value that can stand in a ``RecordQuery`` condition.
public protocol FieldValueConvertible: Sendable {
  var fieldValue: FieldValue { get }
}

extension String: FieldValueConvertible {
  public var fieldValue: FieldValue { .text(self) }
}

extension Int: FieldValueConvertible {
  public var fieldValue: FieldValue { .integer(Int64(self)) }
}

extension Int64: FieldValueConvertible {
  public var fieldValue: FieldValue { .integer(self) }
}

extension Double: FieldValueConvertible {
  public var fieldValue: FieldValue { .real(self) }
}

extension Bool: FieldValueConvertible {
  public var fieldValue: FieldValue { .integer(self ? 1 : 0) }
}

extension Date: FieldValueConvertible {
  public var fieldValue: FieldValue { .date(self) }
}

extension Data: FieldValueConvertible {
  public var fieldValue: FieldValue { .blob(self) }
}
