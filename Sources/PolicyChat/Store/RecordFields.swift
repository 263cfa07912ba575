import Foundation

/// A record's fields by name, as the values a SQL row would hold: what the in-memory store
/// compares queries against, and what finds a record by its key. Made by encoding the
/// record, so that it always agrees with the columns a SQL store writes.
public struct RecordFields: Sendable, Hashable {
  public private(set) var values: [String: FieldValue]

  public init(_ record: some Encodable) {
    let encoder = FieldEncoder()
    // The record types are flat structs of plain values: nothing here throws for them.
    try? record.encode(to: encoder)
    values = encoder.box.values
  }

  /// A field's value; `null` for one the record does not hold.
  public subscript(name: String) -> FieldValue { values[name] ?? .null }
}

/// Collects what a flat record encodes.
private final class FieldBox {
  var values: [String: FieldValue] = [:]
}

private struct FieldEncoder: Encoder {
  let box = FieldBox()
  var codingPath: [any CodingKey] { [] }
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    KeyedEncodingContainer(FieldContainer<Key>(box: box))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    preconditionFailure("a stored record is flat: it has no lists")
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    preconditionFailure("a stored record is a struct of fields")
  }
}

private struct FieldContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let box: FieldBox
  var codingPath: [any CodingKey] { [] }

  mutating func encodeNil(forKey key: Key) throws { box.values[key.stringValue] = .null }
  mutating func encode(_ value: Bool, forKey key: Key) throws { box.values[key.stringValue] = value.fieldValue }
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
      throw EncodingError.invalidValue(
        value, EncodingError.Context(codingPath: [key], debugDescription: "a stored record's fields are plain values"))
    }
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type, forKey key: Key
  ) -> KeyedEncodingContainer<NestedKey> {
    preconditionFailure("a stored record is flat")
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    preconditionFailure("a stored record is flat")
  }

  mutating func superEncoder() -> any Encoder { FieldEncoder() }
  mutating func superEncoder(forKey key: Key) -> any Encoder { FieldEncoder() }
}
