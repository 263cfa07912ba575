import Foundation
import PolicyChat
import Testing

@testable import PolicyChatProtocol

/// The server's JSON writer writes exactly the bytes JSONEncoder (sorted keys, slashes
/// unescaped, ISO 8601 dates) wrote before it, so no front end can tell them apart.
@Suite struct ResponseEncoderTests {
  private func foundation(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  private struct Everything: Encodable {
    var double: Double
    var doubles: [Double]
    var integers: [Int]
    var big: UInt64
    var flag: Bool
    var text: String
    var missing: String?
    var present: String?
    var date: Date
    var dates: [Date?]
    var url: URL
    var data: Data
    var map: [String: String]
    var nested: [[String: [Int]]]
    var empty: [String]
    var emptyMap: [String: Int]
  }

  @Test func everyKindOfValueIsWrittenAsJSONEncoderWritesIt() throws {
    let controls = String((0..<32).compactMap { Unicode.Scalar($0).map(Character.init) })
    let value = Everything(
      double: 1, doubles: [0.5, 0.1 + 0.2, 1e-7, 1e21, 0.903, -0.0, 2.0 / 3, 123_456_789.125, 1e16, -42],
      integers: [0, -1, Int.max, Int.min], big: UInt64.max, flag: false,
      text: "a/b \"q\" \\ é \u{2028} 😀 \u{7F}" + controls, missing: nil, present: "here",
      date: Date(timeIntervalSince1970: 1_796_000_000.75), dates: [Date(timeIntervalSince1970: 0), nil],
      url: URL(string: "https://example.org/a?b=c") ?? URL(fileURLWithPath: "/"), data: Data([0, 1, 254, 255]),
      map: ["b": "1", "a": "2", "B": "3", "é": "4", "aa": "5", "": "6", "a b": "7"],
      nested: [["x": [1, 2]], [:]], empty: [], emptyMap: [:])
    #expect(try ResponseEncoder().encode(value) == foundation(value))
  }

  @Test func aNumberThatIsNotFiniteIsRefused() {
    #expect(throws: EncodingError.self) { try ResponseEncoder().encode([Double.nan]) }
    #expect(throws: EncodingError.self) { try ResponseEncoder().encode(["x": Double.infinity]) }
  }

  /// Real turns: every development and PrivacyQA question, in sessions with and without
  /// an age, and the errors of the protocol.
  @Test func everyTurnOfTheRealQuestionsIsWrittenTheSame() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let engine = try Engine(
      configuration: EngineConfiguration(
        home: root, clock: ManualClock(Date(timeIntervalSince1970: 1_796_000_000)),
        random: SeededRandomSource(seed: 7)))
    let fixtures = root.appendingPathComponent("Tests/PolicyChatTests/Fixtures")
    let privacyQA = try String(contentsOf: fixtures.appendingPathComponent("privacyqa_train.tsv"), encoding: .utf8)
      .split(separator: "\n").dropFirst().compactMap { $0.split(separator: "\t").first.map(String.init) }
    let dev = try String(contentsOf: fixtures.appendingPathComponent("dev_questions.jsonl"), encoding: .utf8)
      .split(separator: "\n").compactMap { line -> String? in
        guard case .object(let fields)? = try? JSONParser.parse(Array(line.utf8)), case .string(let q)? = fields["q"]
        else { return nil }
        return q
      }
    #expect(privacyQA.count > 1000 && dev.count > 20)
    let adult = try engine.openSession().sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: adult)
    let unknown = try engine.openSession()
    var turns = [unknown]
    for (number, question) in (dev + privacyQA + ["/why", "/help", "delete my data", "I am 12"]).enumerated() {
      turns.append(try engine.send(question, to: number.isMultiple(of: 2) ? adult : unknown.sessionId))
    }
    var differences: [String] = []
    for (number, turn) in turns.enumerated() {
      let response = Response(id: .integer(number), result: turn, error: nil)
      let ours = try ResponseEncoder().encode(response)
      if try ours != foundation(response) { differences.append(ours) }
    }
    for error in [ProtocolError.parseError, .invalidUTF8, .invalidRequest("id must be a string or an integer")] {
      let response = Response<JSONValue>.failure(error, id: .string("a/b"))
      if try ResponseEncoder().encode(response) != foundation(response) { differences.append("\(error)") }
    }
    #expect(differences.isEmpty, "\(differences.prefix(3))")
  }
}
