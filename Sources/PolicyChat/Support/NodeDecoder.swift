import Foundation
import Yams

/// Decodes `Decodable` values from YAML as Yams' `YAMLDecoder` does, with each mapping's
/// keys looked up in a dictionary.
///
/// `YAMLDecoder` finds a key by making a node of it and comparing that with the mapping's
/// keys, and each new node's tag is resolved through seven regular expressions (ICU) on the
/// first comparison: a dozen microseconds a key. Over the data files that was most of
/// start-up's YAML time (perf, issue 21: the 60 countries of jurisdictions.yaml alone took
/// 5 ms). The values are the same: the same parser and anchors, Yams' own scalar rules
/// (`ScalarConstructible`, `Node.null`), merge keys flattened, and the same
/// `DecodingError`s with their coding paths for ``YAMLErrors``.
enum NodeDecoder {
  static func decode<T: Decodable>(_ type: T.Type, from yaml: String) throws -> T {
    // The resolver YAMLDecoder parses with: merge keys only; scalars keep their tag unresolved.
    let node = try Yams.compose(yaml: yaml, Resolver.basic.appending(.merge), .default, .utf8) ?? ""
    return try decode(type, from: node)
  }

  static func decode<T: Decodable>(_ type: T.Type, from node: Node) throws -> T {
    try NodeDecoding(node: node, codingPath: []).decode(type)
  }

  /// A mapping's values by key (merge keys applied), for code that reads nodes itself:
  /// `mapping["id"]` costs a tag resolution through the regular expressions each time.
  static func fields(of mapping: Node.Mapping) -> [String: Node] {
    var values: [String: Node] = [:]
    var order: [String] = []
    KeyedNodes<NodeKey>.collect(mapping, into: &values, order: &order)
    return values
  }
}

private struct NodeDecoding: Decoder, SingleValueDecodingContainer {
  let node: Node
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard let mapping = node.mapping else { throw mismatch(Node.Mapping.self) }
    return KeyedDecodingContainer(KeyedNodes<Key>(decoder: self, mapping: mapping))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard let sequence = node.sequence else { throw mismatch(Node.Sequence.self) }
    return UnkeyedNodes(decoder: self, nodes: Array(sequence))
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

  func decodeNil() -> Bool { node.null != nil }

  func decode<T: Decodable>(_ type: T.Type) throws -> T {
    if let scalarType = type as? any ScalarConstructible.Type {
      guard case .scalar(let scalar) = node else { throw mismatch(type) }
      guard let value = scalarType.construct(from: scalar) as? T else { throw mismatch(type) }
      return value
    }
    return try T(from: self)
  }

  func child(_ node: Node, at key: any CodingKey) -> NodeDecoding {
    NodeDecoding(node: node, codingPath: codingPath + [key])
  }

  func mismatch(_ expected: Any.Type) -> DecodingError {
    let found: String
    switch node {
    case .scalar(let scalar): found = "scalar '\(scalar.string)'"
    case .mapping: found = "a mapping"
    case .sequence: found = "a sequence"
    case .alias: found = "an alias"
    }
    return .typeMismatch(
      expected,
      .init(codingPath: codingPath, debugDescription: "Expected to decode \(expected) but found \(found) instead."))
  }
}

private struct KeyedNodes<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let decoder: NodeDecoding
  private let values: [String: Node]
  private let order: [String]

  init(decoder: NodeDecoding, mapping: Node.Mapping) {
    self.decoder = decoder
    var values: [String: Node] = [:]
    var order: [String] = []
    Self.collect(mapping, into: &values, order: &order)
    self.values = values
    self.order = order
  }

  /// The mapping's keys, then those its merge keys (`<<: *defaults`, `<<: [*a, *b]`) bring
  /// that it does not set itself, as YAML's merge key and Yams' `flatten()` have it. Of
  /// equal keys the first counts, as Yams' subscript finds it (the parser rejects them).
  static func collect(_ mapping: Node.Mapping, into values: inout [String: Node], order: inout [String]) {
    var merged: [Node.Mapping] = []
    for (key, value) in mapping {
      guard let name = key.string else { continue }
      if name == "<<", key.scalar?.style == .plain {
        if let single = value.mapping { merged.append(single) }
        merged += value.sequence?.compactMap(\.mapping) ?? []
        continue
      }
      guard values[name] == nil else { continue }
      values[name] = value
      order.append(name)
    }
    for mapping in merged { collect(mapping, into: &values, order: &order) }
  }

  var codingPath: [any CodingKey] { decoder.codingPath }
  var allKeys: [Key] { order.compactMap(Key.init(stringValue:)) }

  func contains(_ key: Key) -> Bool { values[key.stringValue] != nil }

  func decodeNil(forKey key: Key) throws -> Bool { try child(key).decodeNil() }

  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(key).decode(type) }

  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    try child(key).container(keyedBy: type)
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    try child(key).unkeyedContainer()
  }

  func superDecoder() throws -> any Decoder { try child(NodeKey(stringValue: "super")) }
  func superDecoder(forKey key: Key) throws -> any Decoder { try child(key) }

  private func child(_ key: some CodingKey) throws -> NodeDecoding {
    guard let node = values[key.stringValue] else {
      throw DecodingError.keyNotFound(
        key,
        .init(codingPath: codingPath, debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\").")
      )
    }
    return decoder.child(node, at: key)
  }
}

private struct UnkeyedNodes: UnkeyedDecodingContainer {
  let decoder: NodeDecoding
  let nodes: [Node]
  var currentIndex = 0

  init(decoder: NodeDecoding, nodes: [Node]) {
    self.decoder = decoder
    self.nodes = nodes
  }

  var codingPath: [any CodingKey] { decoder.codingPath }
  var count: Int? { nodes.count }
  var isAtEnd: Bool { currentIndex >= nodes.count }

  mutating func decodeNil() throws -> Bool {
    // A null is consumed only when it is one, as the standard decoders do.
    let isNil = try current(Any?.self).decodeNil()
    if isNil { currentIndex += 1 }
    return isNil
  }

  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
    let value = try current(type).decode(type)
    currentIndex += 1
    return value
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    let container = try current(type).container(keyedBy: type)
    currentIndex += 1
    return container
  }

  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
    let container = try current(Any.self).unkeyedContainer()
    currentIndex += 1
    return container
  }

  mutating func superDecoder() throws -> any Decoder {
    let decoder = try current(Any.self)
    currentIndex += 1
    return decoder
  }

  private func current(_ type: Any.Type) throws -> NodeDecoding {
    let key = NodeKey(intValue: currentIndex)
    guard !isAtEnd else {
      throw DecodingError.valueNotFound(
        type, .init(codingPath: codingPath + [key], debugDescription: "Unkeyed container is at end."))
    }
    return decoder.child(nodes[currentIndex], at: key)
  }
}

private struct NodeKey: CodingKey {
  let stringValue: String
  let intValue: Int?

  init(stringValue: String) {
    self.stringValue = stringValue
    intValue = nil
  }

  init(intValue: Int) {
    stringValue = "Index \(intValue)"
    self.intValue = intValue
  }
}
