import Foundation

/// Writes an `Encodable` as one line of JSON, byte for byte as `JSONEncoder` with
/// `.sortedKeys`, `.withoutEscapingSlashes` and `.iso8601` dates writes it.
///
/// `JSONEncoder` was a tenth of the cost of a `chat.send` in `serve`: it boxes every value
/// and looks up its strategies at each step. This encoder builds a small tree and prints
/// it; a test checks that both write the same bytes for every kind of turn.
struct ResponseEncoder {
  func encode(_ value: some Encodable) throws -> String {
    let root = Slot()
    try Self.encode(value, into: root, path: [])
    var output: [UInt8] = []
    output.reserveCapacity(2048)
    Self.write(root.node, into: &output)
    return String(decoding: output, as: UTF8.self)
  }

  /// A value of the tree; objects and arrays are classes so that containers can fill
  /// them after they are handed out, as `Encoder` requires.
  fileprivate enum Node {
    case null
    case bool(Bool)
    case integer(Int64)
    case unsigned(UInt64)
    case number(Double)
    case string(String)
    case array(ArrayBox)
    case object(ObjectBox)

    /// JSON has no NaN or infinity; JSONEncoder refuses them too.
    static func finite(_ value: Double, _ path: [any CodingKey]) throws -> Node {
      guard value.isFinite else {
        throw EncodingError.invalidValue(
          value, EncodingError.Context(codingPath: path, debugDescription: "\(value) is not a JSON number"))
      }
      return .number(value)
    }
  }

  fileprivate final class ArrayBox {
    var items: [Slot] = []
  }

  fileprivate final class ObjectBox {
    var fields: [String: Slot] = [:]
  }

  /// Where one value goes.
  fileprivate final class Slot {
    var node: Node = .null
  }

  fileprivate static func encode(_ value: some Encodable, into slot: Slot, path: [any CodingKey]) throws {
    if let date = value as? Date {
      slot.node = .string(date.formatted(.iso8601))
    } else if let url = value as? URL {
      slot.node = .string(url.absoluteString)
    } else if let data = value as? Data {
      slot.node = .string(data.base64EncodedString())
    } else {
      try value.encode(to: TreeEncoder(slot: slot, codingPath: path))
    }
  }

  // MARK: Printing

  private static func write(_ node: Node, into output: inout [UInt8]) {
    switch node {
    case .null: output.append(contentsOf: "null".utf8)
    case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
    case .integer(let value): output.append(contentsOf: String(value).utf8)
    case .unsigned(let value): output.append(contentsOf: String(value).utf8)
    case .number(let value): output.append(contentsOf: number(value).utf8)
    case .string(let value): string(value, into: &output)
    case .array(let box):
      output.append(UInt8(ascii: "["))
      for (index, item) in box.items.enumerated() {
        if index > 0 { output.append(UInt8(ascii: ",")) }
        write(item.node, into: &output)
      }
      output.append(UInt8(ascii: "]"))
    case .object(let box):
      output.append(UInt8(ascii: "{"))
      // Sorted by their UTF-8 bytes, as JSONEncoder's .sortedKeys does.
      let keys = box.fields.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      for (index, key) in keys.enumerated() {
        if index > 0 { output.append(UInt8(ascii: ",")) }
        string(key, into: &output)
        output.append(UInt8(ascii: ":"))
        if let slot = box.fields[key] { write(slot.node, into: &output) }
      }
      output.append(UInt8(ascii: "}"))
    }
  }

  /// Shortest round-trip digits, without a trailing ".0" (JSONEncoder writes 1.0 as 1).
  static func number(_ value: Double) -> String {
    let text = value.description
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  /// Quotes and backslashes escaped, control characters as short or \u escapes, the
  /// rest (slashes and all non-ASCII) as it is.
  static func string(_ value: String, into output: inout [UInt8]) {
    output.append(UInt8(ascii: "\""))
    for byte in value.utf8 {
      switch byte {
      case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
      case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
      case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
      case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
      case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
      case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
      case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
      case ..<0x20:
        output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
        output.append(hexDigits[Int(byte >> 4)])
        output.append(hexDigits[Int(byte & 0x0F)])
      default: output.append(byte)
      }
    }
    output.append(UInt8(ascii: "\""))
  }
}

// MARK: The Encoder protocol

private struct TreeEncoder: Encoder {
  let slot: ResponseEncoder.Slot
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    KeyedEncodingContainer(KeyedContainer<Key>(object: objectBox(), codingPath: codingPath))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    UnkeyedContainer(array: arrayBox(), codingPath: codingPath)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    SingleContainer(slot: slot, codingPath: codingPath)
  }

  /// The object in the slot, made if the slot holds none yet (a type may ask twice).
  private func objectBox() -> ResponseEncoder.ObjectBox {
    if case .object(let box) = slot.node { return box }
    let box = ResponseEncoder.ObjectBox()
    slot.node = .object(box)
    return box
  }

  private func arrayBox() -> ResponseEncoder.ArrayBox {
    if case .array(let box) = slot.node { return box }
    let box = ResponseEncoder.ArrayBox()
    slot.node = .array(box)
    return box
  }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let object: ResponseEncoder.ObjectBox
  let codingPath: [any CodingKey]

  private func slot(_ key: Key) -> ResponseEncoder.Slot {
    let slot = ResponseEncoder.Slot()
    object.fields[key.stringValue] = slot
    return slot
  }

  mutating func encodeNil(forKey key: Key) throws { slot(key).node = .null }
  mutating func encode(_ value: Bool, forKey key: Key) throws { slot(key).node = .bool(value) }
  mutating func encode(_ value: String, forKey key: Key) throws { slot(key).node = .string(value) }
  mutating func encode(_ value: Double, forKey key: Key) throws {
    slot(key).node = try .finite(value, codingPath + [key])
  }
  mutating func encode(_ value: Float, forKey key: Key) throws {
    slot(key).node = try .finite(Double(value), codingPath + [key])
  }
  mutating func encode(_ value: Int, forKey key: Key) throws { slot(key).node = .integer(Int64(value)) }
  mutating func encode(_ value: Int8, forKey key: Key) throws { slot(key).node = .integer(Int64(value)) }
  mutating func encode(_ value: Int16, forKey key: Key) throws { slot(key).node = .integer(Int64(value)) }
  mutating func encode(_ value: Int32, forKey key: Key) throws { slot(key).node = .integer(Int64(value)) }
  mutating func encode(_ value: Int64, forKey key: Key) throws { slot(key).node = .integer(value) }
  mutating func encode(_ value: UInt, forKey key: Key) throws { slot(key).node = .unsigned(UInt64(value)) }
  mutating func encode(_ value: UInt8, forKey key: Key) throws { slot(key).node = .unsigned(UInt64(value)) }
  mutating func encode(_ value: UInt16, forKey key: Key) throws { slot(key).node = .unsigned(UInt64(value)) }
  mutating func encode(_ value: UInt32, forKey key: Key) throws { slot(key).node = .unsigned(UInt64(value)) }
  mutating func encode(_ value: UInt64, forKey key: Key) throws { slot(key).node = .unsigned(value) }

  mutating func encode(_ value: some Encodable, forKey key: Key) throws {
    try ResponseEncoder.encode(value, into: slot(key), path: codingPath + [key])
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type, forKey key: Key
  ) -> KeyedEncodingContainer<NestedKey> {
    let box = ResponseEncoder.ObjectBox()
    slot(key).node = .object(box)
    return KeyedEncodingContainer(KeyedContainer<NestedKey>(object: box, codingPath: codingPath + [key]))
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    let box = ResponseEncoder.ArrayBox()
    slot(key).node = .array(box)
    return UnkeyedContainer(array: box, codingPath: codingPath + [key])
  }

  mutating func superEncoder() -> any Encoder {
    let slot = ResponseEncoder.Slot()
    object.fields["super"] = slot
    return TreeEncoder(slot: slot, codingPath: codingPath)
  }

  mutating func superEncoder(forKey key: Key) -> any Encoder {
    TreeEncoder(slot: slot(key), codingPath: codingPath + [key])
  }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
  let array: ResponseEncoder.ArrayBox
  let codingPath: [any CodingKey]
  var count: Int { array.items.count }

  private func next() -> ResponseEncoder.Slot {
    let slot = ResponseEncoder.Slot()
    array.items.append(slot)
    return slot
  }

  mutating func encodeNil() throws { next().node = .null }
  mutating func encode(_ value: Bool) throws { next().node = .bool(value) }
  mutating func encode(_ value: String) throws { next().node = .string(value) }
  mutating func encode(_ value: Double) throws { next().node = try .finite(value, codingPath) }
  mutating func encode(_ value: Float) throws { next().node = try .finite(Double(value), codingPath) }
  mutating func encode(_ value: Int) throws { next().node = .integer(Int64(value)) }
  mutating func encode(_ value: Int64) throws { next().node = .integer(value) }
  mutating func encode(_ value: UInt64) throws { next().node = .unsigned(value) }

  mutating func encode(_ value: some Encodable) throws {
    try ResponseEncoder.encode(value, into: next(), path: codingPath)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
    -> KeyedEncodingContainer<NestedKey>
  {
    let box = ResponseEncoder.ObjectBox()
    next().node = .object(box)
    return KeyedEncodingContainer(KeyedContainer<NestedKey>(object: box, codingPath: codingPath))
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    let box = ResponseEncoder.ArrayBox()
    next().node = .array(box)
    return UnkeyedContainer(array: box, codingPath: codingPath)
  }

  mutating func superEncoder() -> any Encoder {
    TreeEncoder(slot: next(), codingPath: codingPath)
  }
}

private struct SingleContainer: SingleValueEncodingContainer {
  let slot: ResponseEncoder.Slot
  let codingPath: [any CodingKey]

  mutating func encodeNil() throws { slot.node = .null }
  mutating func encode(_ value: Bool) throws { slot.node = .bool(value) }
  mutating func encode(_ value: String) throws { slot.node = .string(value) }
  mutating func encode(_ value: Double) throws { slot.node = try .finite(value, codingPath) }
  mutating func encode(_ value: Float) throws { slot.node = try .finite(Double(value), codingPath) }
  mutating func encode(_ value: Int) throws { slot.node = .integer(Int64(value)) }
  mutating func encode(_ value: Int8) throws { slot.node = .integer(Int64(value)) }
  mutating func encode(_ value: Int16) throws { slot.node = .integer(Int64(value)) }
  mutating func encode(_ value: Int32) throws { slot.node = .integer(Int64(value)) }
  mutating func encode(_ value: Int64) throws { slot.node = .integer(value) }
  mutating func encode(_ value: UInt) throws { slot.node = .unsigned(UInt64(value)) }
  mutating func encode(_ value: UInt8) throws { slot.node = .unsigned(UInt64(value)) }
  mutating func encode(_ value: UInt16) throws { slot.node = .unsigned(UInt64(value)) }
  mutating func encode(_ value: UInt32) throws { slot.node = .unsigned(UInt64(value)) }
  mutating func encode(_ value: UInt64) throws { slot.node = .unsigned(value) }

  mutating func encode(_ value: some Encodable) throws {
    try ResponseEncoder.encode(value, into: slot, path: codingPath)
  }
}
