import Foundation
import Testing
import Yams

@testable import PolicyChat

/// The data files' decoder gives what Yams' YAMLDecoder gives, value for value and error
/// for error, only without resolving a tag for every key it looks up.
@Suite("YAML node decoder")
struct NodeDecoderTests {
  struct Entry: Codable, Equatable {
    var name: String
    var age: Int?
    var ratio: Double?
    var on: Bool?
    var tags: [String]?
    var nested: [String: Int]?
  }

  struct File: Codable, Equatable {
    var title: String
    var entries: [Entry]
    var byCode: [String: Entry]
    var note: String?
  }

  static let yaml = """
    title: "A file"
    defaults: &defaults
      name: default
      age: 13
    entries:
      - name: plain
        age: 0x10
        ratio: 1.5
        on: yes
        tags: [a, 'b', "c d"]
      - <<: *defaults
        ratio: .inf
      - <<: *defaults
        name: merged and overridden
        on: off
        nested: {x: 1, y: -2}
      - name: 'null'
        age: ~
    byCode:
      ZA: {name: South Africa, age: 18}
      "NO": {name: Norway, age: 13}
      US: *defaults
    note:
    """

  @Test("Values, anchors, merge keys, nulls and quoted scalars decode as YAMLDecoder decodes them")
  func sameValuesAsYams() throws {
    let ours = try NodeDecoder.decode(File.self, from: Self.yaml)
    let theirs = try YAMLDecoder().decode(File.self, from: Self.yaml)
    #expect(ours == theirs)
    #expect(ours.entries[0].age == 16 && ours.entries[0].on == true && ours.entries[0].tags == ["a", "b", "c d"])
    #expect(ours.entries[1].name == "default" && ours.entries[1].age == 13 && ours.entries[1].ratio == .infinity)
    #expect(ours.entries[2].name == "merged and overridden" && ours.entries[2].age == 13)
    #expect(ours.entries[2].on == false && ours.entries[2].nested == ["x": 1, "y": -2])
    #expect(ours.entries[3].name == "null" && ours.entries[3].age == nil)
    #expect(ours.byCode["NO"]?.name == "Norway" && ours.byCode["US"]?.age == 13)
    #expect(ours.note == nil)
  }

  @Test("A quoted 'true' is no Bool, as in Yams")
  func quotedBoolIsAString() {
    let text = "name: x\non: 'true'\n"
    #expect(throws: DecodingError.self) { try NodeDecoder.decode(Entry.self, from: text) }
    #expect(throws: DecodingError.self) { try YAMLDecoder().decode(Entry.self, from: text) }
  }

  @Test("Errors carry the key and the coding path that YAMLErrors reports")
  func errorsNameTheirPlace() throws {
    let missing = "title: t\nentries:\n  - age: 3\nbyCode: {}\n"
    let error = try #require(throws: DecodingError.self) { try NodeDecoder.decode(File.self, from: missing) }
    guard case .keyNotFound(let key, let context) = error else {
      Issue.record("not keyNotFound: \(error)")
      return
    }
    #expect(key.stringValue == "name")
    #expect(context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue } == ["entries", "0"])
    let described = YAMLErrors.describe(error, file: "f.yaml")
    #expect(described.description == "f.yaml: missing key 'name' in entries.[0]")

    let wrongType = "title: t\nentries: []\nbyCode: {ZA: {name: z, age: old}}\n"
    let mismatch = try #require(throws: DecodingError.self) { try NodeDecoder.decode(File.self, from: wrongType) }
    #expect(
      YAMLErrors.describe(mismatch, file: "f.yaml").description.hasPrefix("f.yaml: wrong type at 'byCode.ZA.age'"))
  }

  @Test("Broken YAML is the parser's error, with its line")
  func brokenYAML() throws {
    let error = try #require(throws: (any Error).self) { try NodeDecoder.decode(File.self, from: "title: [\n") }
    guard case .invalidData(_, let line?, let reason) = YAMLErrors.describe(error, file: "f.yaml") else {
      Issue.record("no line: \(error)")
      return
    }
    #expect(line >= 1 && reason.hasPrefix("broken YAML"))
  }
}
