import Foundation

/// A record made back from its fields, as a SQL row holds them (``RecordFields`` the other
/// way): what a store over a database without a record layer of its own (PostgreSQL) reads
/// its rows into. A `Bool` comes from an integer, as it was written.
extension RecordFields {
  public static func record<Record: StoredRecord>(
    _ kind: Record.Type, from values: [String: FieldValue]
  ) throws(EngineError) -> Record {
    do {
      return try Record(from: FieldDecoder(values: values))
    } catch {
      // The field, never its value: a value may be personal data.
      let field = (error as? DecodingError).flatMap(\.fieldName) ?? "a field"
      throw .storage(reason: "a \(Record.table) row does not make a record: \(field) has no value of its type")
    }
  }
}

extension DecodingError {
  fileprivate var fieldName: String? {
    switch self {
    case .keyNotFound(let key, _): key.stringValue
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
      context.codingPath.last?.stringValue
    @unknown default: nil
    }
  }
}

private struct FieldDecoder: Decoder {
  let values: [String: FieldValue]
  var codingPath: [any CodingKey] { [] }
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    KeyedDecodingContainer(FieldReader<Key>(values: values))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "a record is a struct of fields"))
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer {
    throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "a record is a struct of fields"))
  }
}

private struct FieldReader<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let values: [String: FieldValue]
  var codingPath: [any CodingKey] { [] }
  var allKeys: [Key] { values.keys.compactMap { Key(stringValue: $0) } }

  func contains(_ key: Key) -> Bool { values[key.stringValue] != nil }

  func decodeNil(forKey key: Key) throws -> Bool {
    (values[key.stringValue] ?? .null) == .null
  }

  private func value(_ key: Key) throws -> FieldValue {
    guard let value = values[key.stringValue] else {
      throw DecodingError.keyNotFound(key, .init(codingPath: [key], debugDescription: "no such column"))
    }
    return value
  }

  private func mismatch<T>(_ type: T.Type, _ key: Key) -> DecodingError {
    .typeMismatch(type, .init(codingPath: [key], debugDescription: "a column of another type"))
  }

  func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
    guard case .integer(let number) = try value(key) else { throw mismatch(type, key) }
    return number != 0
  }

  func decode(_ type: String.Type, forKey key: Key) throws -> String {
    guard case .text(let text) = try value(key) else { throw mismatch(type, key) }
    return text
  }

  func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
    switch try value(key) {
    case .real(let number): return number
    case .integer(let number): return Double(number)
    default: throw mismatch(type, key)
    }
  }

  func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
    Float(try decode(Double.self, forKey: key))
  }

  func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
    guard case .integer(let number) = try value(key), let exact = Int(exactly: number) else {
      throw mismatch(type, key)
    }
    return exact
  }

  func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
    guard case .integer(let number) = try value(key) else { throw mismatch(type, key) }
    return number
  }

  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    let field = try value(key)
    switch field {
    case .date(let date) where type == Date.self:
      if let date = date as? T { return date }
    case .blob(let data) where type == Data.self:
      if let data = data as? T { return data }
    default: break
    }
    // A stored record's fields are plain values (``StoredRecord``): nothing else to read.
    throw mismatch(type, key)
  }

  func nestedContainer<NestedKey: CodingKey>(
    keyedBy type: NestedKey.Type, forKey key: Key
  ) throws -> KeyedDecodingContainer<NestedKey> {
    throw mismatch(type, key)
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    throw mismatch([Any].self, key)
  }

  func superDecoder() throws -> any Decoder { FieldDecoder(values: values) }
  func superDecoder(forKey key: Key) throws -> any Decoder { FieldDecoder(values: values) }
}
