import Foundation

/// A record's fields by name, as the values a SQL row would hold: what the in-memory store
/// compares queries against, and what finds a record by its key. Made by encoding the
/// record, so that it always agrees with the columns a SQL store writes.
public struct RecordFields: Sendable, Hashable {
  public private(set) var values: [String: FieldValue]
  /// The first field that is not a plain value (a list, a nested struct, a type a SQL
  /// column cannot hold), if any: a store refuses such a record rather than keep part of it.
  public let unsupported: String?
  /// The fields that hold a `Bool` (an integer here, as in SQLite), so that a new value for
  /// one can be given back as a `Bool`.
  let booleans: Set<String>

  public init(_ record: some Encodable) {
    let encoder = FieldEncoder()
    do {
      try record.encode(to: encoder)
      unsupported = encoder.box.unsupported
    } catch {
      unsupported = encoder.box.unsupported ?? "a field of \(type(of: record))"
    }
    values = encoder.box.values
    booleans = encoder.box.booleans
  }

  /// A field's value; `null` for one the record does not hold.
  public subscript(name: String) -> FieldValue { values[name] ?? .null }
}

/// Collects what a flat record encodes.
private final class FieldBox {
  var values: [String: FieldValue] = [:]
  var unsupported: String?
  var booleans: Set<String> = []

  func refuse(_ what: String) {
    if unsupported == nil { unsupported = what }
  }
}

private struct FieldEncoder: Encoder {
  let box = FieldBox()
  var codingPath: [any CodingKey] { [] }
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    KeyedEncodingContainer(FieldContainer<Key>(box: box))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    box.refuse("the record itself (a list, not a struct of fields)")
    return DiscardingContainer()
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    box.refuse("the record itself (a single value, not a struct of fields)")
    return DiscardingContainer()
  }
}

private struct FieldContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let box: FieldBox
  var codingPath: [any CodingKey] { [] }

  mutating func encodeNil(forKey key: Key) throws { box.values[key.stringValue] = .null }
  mutating func encode(_ value: Bool, forKey key: Key) throws {
    box.values[key.stringValue] = value.fieldValue
    box.booleans.insert(key.stringValue)
  }
  mutating func encode(_ value: String, forKey key: Key) throws { box.values[key.stringValue] = .text(value) }
  mutating func encode(_ value: Double, forKey key: Key) throws { box.values[key.stringValue] = .real(value) }
  mutating func encode(_ value: Float, forKey key: Key) throws { box.values[key.stringValue] = .real(Double(value)) }
  mutating func encode(_ value: Int, forKey key: Key) throws { box.values[key.stringValue] = .integer(Int64(value)) }
  mutating func encode(_ value: Int64, forKey key: Key) throws { box.values[key.stringValue] = .integer(value) }

  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    switch value {
    case let date as Date: box.values[key.stringValue] = .date(date)
    case let data as Data: box.values[key.stringValue] = .blob(data)
    case let convertible as any FieldValueConvertible: box.values[key.stringValue] = convertible.fieldValue
    default:
      box.refuse(key.stringValue)
      throw EncodingError.invalidValue(
        value, EncodingError.Context(codingPath: [key], debugDescription: "a stored record's fields are plain values"))
    }
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type, forKey key: Key
  ) -> KeyedEncodingContainer<NestedKey> {
    box.refuse(key.stringValue)
    return KeyedEncodingContainer(FieldContainer<NestedKey>(box: FieldBox()))
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    box.refuse(key.stringValue)
    return DiscardingContainer()
  }

  mutating func superEncoder() -> any Encoder { FieldEncoder() }
  mutating func superEncoder(forKey key: Key) -> any Encoder { FieldEncoder() }
}

/// Where what a record must not hold (lists, nested values) goes: nowhere. The record is
/// refused through ``RecordFields/unsupported``.
private struct DiscardingContainer: UnkeyedEncodingContainer, SingleValueEncodingContainer {
  var codingPath: [any CodingKey] { [] }
  var count: Int { 0 }

  mutating func encodeNil() throws {}
  mutating func encode<T: Encodable>(_ value: T) throws {}

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<
    NestedKey
  > {
    KeyedEncodingContainer(FieldContainer<NestedKey>(box: FieldBox()))
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { DiscardingContainer() }
  mutating func superEncoder() -> any Encoder { FieldEncoder() }
}
