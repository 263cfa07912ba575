import Foundation
import Testing

@testable import PolicyChatProtocol

/// The protocol's JSON reader: what RFC 8259 allows, it reads as Foundation would; what
/// it does not, it refuses with the offset where the text stops being JSON.
@Suite struct JSONParserTests {
  private func parse(_ text: String) throws(JSONParser.Failure) -> JSONValue {
    try JSONParser.parse(Array(text.utf8))
  }

  @Test func aRequestIsReadIntoItsValues() throws {
    let value = try parse(
      #" {"jsonrpc":"2.0","id":7,"method":"chat.send","params":{"text":"hi \"you\"\n","n":-1.5e2,"ok":true,"x":null,"list":[1,[],{}]}} "#
    )
    #expect(
      value
        == .object([
          "jsonrpc": .string("2.0"), "id": .integer(7), "method": .string("chat.send"),
          "params": .object([
            "text": .string("hi \"you\"\n"), "n": .number(-150), "ok": .bool(true), "x": .null,
            "list": .array([.integer(1), .array([]), .object([:])]),
          ]),
        ]))
  }

  @Test(arguments: [
    (#""caf\u00e9 \ud83d\ude00 \/ \\ \b\f\r\t""#, "café 😀 / \\ \u{8}\u{c}\r\t"),
    (#""plain ünïcödé, 日本語""#, "plain ünïcödé, 日本語"),
    (#""""#, ""),
  ])
  func stringsAndTheirEscapes(json: String, expected: String) throws {
    #expect(try parse(json) == .string(expected))
  }

  @Test(arguments: [
    ("0", JSONValue.integer(0)), ("-0", .integer(0)), ("9223372036854775807", .integer(Int.max)),
    ("9223372036854775808", .number(9_223_372_036_854_775_808)), ("1.0", .number(1)), ("2E3", .number(2000)),
    ("1e-2", .number(0.01)),
  ])
  func numbers(json: String, expected: JSONValue) throws {
    #expect(try parse(json) == expected)
  }

  /// Every value Foundation's decoder reads the same way, read the same way here.
  @Test func agreesWithFoundationOnWhatBothRead() throws {
    let texts = [
      #"{"a":[1,2,{"b":"c"}],"d":"\u0041","e":false,"f":null,"g":-12}"#, #"[[[[]]]]"#, #""\ud834\udd1e""#,
      #"{"same":1,"same":2}"#, "  [ 1 , \"x\" ]\n",
    ]
    for text in texts {
      let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
      #expect(try parse(text) == foundation, "\(text)")
    }
  }

  @Test(arguments: [
    ("", 0), ("   ", 3), ("{", 1), (#"{"a":1,}"#, 7), (#"{a:1}"#, 1), ("'x'", 0), ("01", 1), ("1.", 2), ("-", 1),
    ("1e", 2), ("[1 2]", 3), (#""\ud800""#, 7), (#""\udc00x""#, 7), (#""\x""#, 2), ("\"a\u{1}b\"", 2),
    ("NaN", 0), ("tru", 0), ("nul", 0), ("{} {}", 3), (#""unterminated"#, 13), ("1e999", 0),
  ])
  func malformedTextIsRefusedWhereItGoesWrong(json: String, offset: Int) {
    #expect(throws: JSONParser.Failure(offset: offset)) { try parse(json) }
  }

  /// Deep nesting is refused, not recursed into until the stack runs out.
  @Test func deepNestingIsRefused() {
    let depth = 100_000
    let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    #expect(throws: JSONParser.Failure.self) { try parse(text) }
    let allowed = JSONParser.maximumDepth
    let shallow = String(repeating: "[", count: allowed) + String(repeating: "]", count: allowed)
    #expect(throws: Never.self) { try parse(shallow) }
  }
}
