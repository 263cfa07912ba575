import Foundation
import PolicyChat
import PolicyChatProtocol
import Testing

/// The dispatcher in process: one line in, one response line out.
@Suite struct ProtocolServerTests {
  private let server: ProtocolServer

  init() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let engine = try Engine(
      configuration: EngineConfiguration(
        home: root, clock: ManualClock(Date(timeIntervalSince1970: 1_796_000_000)),
        random: SeededRandomSource(seed: 3)))
    server = ProtocolServer(engine: engine, serverVersion: "test")
  }

  private func call(_ line: String) throws -> [String: Any] {
    let response = try #require(server.handle(line: Array(line.utf8)))
    #expect(!response.contains("\n"))
    return try #require(try JSONSerialization.jsonObject(with: Data(response.utf8)) as? [String: Any])
  }

  private func error(_ response: [String: Any]) -> (code: Int?, reason: String?, field: String?) {
    let error = response["error"] as? [String: Any]
    let data = error?["data"] as? [String: Any]
    return (error?["code"] as? Int, data?["reason"] as? String, data?["field"] as? String)
  }

  private func openSession() throws -> String {
    let response = try call(#"{"jsonrpc":"2.0","id":1,"method":"session.open","params":{"country":"ZA"}}"#)
    let result = try #require(response["result"] as? [String: Any])
    return try #require(result["sessionId"] as? String)
  }

  @Test func initializeNamesTheServerProtocolAndPolicy() throws {
    let response = try call(#"{"jsonrpc":"2.0","id":"a","method":"initialize","params":{}}"#)
    #expect(response["id"] as? String == "a")
    #expect(response["jsonrpc"] as? String == "2.0")
    let result = try #require(response["result"] as? [String: Any])
    #expect(result["serverName"] as? String == "policychat")
    #expect(result["protocolVersion"] as? String == "1")
    let policy = try #require(result["policy"] as? [String: Any])
    #expect(policy["version"] as? String == "1")
    #expect(policy["lastUpdated"] as? String == "2026-11-29")
  }

  @Test func chatSendReturnsATurnOfTheDesignedShape() throws {
    let session = try openSession()
    let response = try call(
      #"{"jsonrpc":"2.0","id":7,"method":"chat.send","params":{"sessionId":"\#(session)","text":"Do you sell my data?"}}"#
    )
    #expect(response["id"] as? Int == 7)
    let turn = try #require(response["result"] as? [String: Any])
    #expect(turn["sessionId"] as? String == session)
    #expect(turn["automated"] as? Bool == true)
    #expect((turn["intent"] as? String)?.hasPrefix("policy.sharing") == true)
    let replies = try #require(turn["replies"] as? [[String: Any]])
    #expect((replies.first?["text"] as? String)?.contains("does not sell") == true)
    #expect(turn["sources"] is [[String: Any]])
    #expect(turn["events"] is [Any])
    #expect(turn["state"] is [String: Any])
  }

  @Test func chatExplainGivesTheTraceOfTheLastAnswer() throws {
    let session = try openSession()
    _ = try call(#"{"jsonrpc":"2.0","id":2,"method":"chat.send","params":{"sessionId":"\#(session)","text":"hello"}}"#)
    let response = try call(#"{"jsonrpc":"2.0","id":3,"method":"chat.explain","params":{"sessionId":"\#(session)"}}"#)
    let result = try #require(response["result"] as? [String: Any])
    let trace = try #require(result["trace"] as? [String: Any])
    #expect(trace["intent"] as? String == "greeting")
    #expect(trace["method"] as? String == "rule")
  }

  @Test func aClosedSessionIsUnknown() throws {
    let session = try openSession()
    let closed = try call(#"{"jsonrpc":"2.0","id":4,"method":"session.close","params":{"sessionId":"\#(session)"}}"#)
    #expect((closed["result"] as? [String: Any])?["closed"] as? Bool == true)
    let again = try call(
      #"{"jsonrpc":"2.0","id":5,"method":"chat.send","params":{"sessionId":"\#(session)","text":"hi"}}"#)
    #expect(again["id"] as? Int == 5)
    #expect(error(again).code == -32001)
    #expect(error(again).reason == "unknown_session")
  }

  @Test(arguments: [
    ("not json", -32700, "invalid_json"),
    (#"{"jsonrpc":"2.0","id":1,"#, -32700, "invalid_json"),
    (#"[{"jsonrpc":"2.0","id":1,"method":"initialize"}]"#, -32600, "invalid_request"),
    (#""just a string""#, -32600, "invalid_request"),
    (#"{"jsonrpc":"1.0","id":1,"method":"initialize"}"#, -32600, "invalid_request"),
    (#"{"jsonrpc":"2.0","id":1}"#, -32600, "invalid_request"),
    (#"{"jsonrpc":"2.0","id":{"x":1},"method":"initialize"}"#, -32600, "invalid_request"),
    (#"{"jsonrpc":"2.0","id":1,"method":"chat.shout"}"#, -32601, "unknown_method"),
  ])
  func aBadLineGetsItsStandardError(line: String, code: Int, reason: String) throws {
    let response = try call(line)
    #expect(error(response).code == code)
    #expect(error(response).reason == reason)
    #expect(response["result"] == nil)
  }

  @Test func invalidParamsNameTheFieldAndKeepTheId() throws {
    let cases = [
      (#"{"jsonrpc":"2.0","id":11,"method":"chat.send","params":{"text":"hi"}}"#, "sessionId"),
      (#"{"jsonrpc":"2.0","id":12,"method":"chat.send","params":{"sessionId":1,"text":"hi"}}"#, "sessionId"),
      (#"{"jsonrpc":"2.0","id":13,"method":"chat.send","params":{"sessionId":"s","text":null}}"#, "text"),
      (#"{"jsonrpc":"2.0","id":14,"method":"session.open","params":[1]}"#, "params"),
      (#"{"jsonrpc":"2.0","id":15,"method":"session.open","params":{"signals":{"dnt":"yes"}}}"#, "signals.dnt"),
      (#"{"jsonrpc":"2.0","id":16,"method":"session.open","params":{"country":3}}"#, "country"),
    ]
    for (line, field) in cases {
      let response = try call(line)
      #expect(error(response).code == -32602, "\(line)")
      #expect(error(response).field == field, "\(line)")
      #expect(response["id"] is Int, "\(line)")
    }
  }

  @Test func invalidUTF8IsAParseErrorWithItsOwnReason() throws {
    let response = try #require(server.handle(line: [0x7B, 0xC3, 0x28, 0xFF, 0x7D]))
    let object = try #require(try JSONSerialization.jsonObject(with: Data(response.utf8)) as? [String: Any])
    #expect(error(object).code == -32700)
    #expect(error(object).reason == "invalid_utf8")
    #expect(object.keys.contains("id"))
  }

  @Test func notificationsAndBlankLinesGetNoResponse() {
    #expect(server.handle(line: Array(#"{"jsonrpc":"2.0","method":"initialize"}"#.utf8)) == nil)
    #expect(server.handle(line: Array(#"{"jsonrpc":"2.0","method":"no.such.method"}"#.utf8)) == nil)
    #expect(server.handle(line: Array("  \r".utf8)) == nil)
  }

  @Test func aLineTooLongErrorHasANullId() throws {
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(server.lineTooLong(limit: 10).utf8)) as? [String: Any])
    #expect(object["id"] is NSNull)
    #expect(error(object).code == -32002)
    #expect(error(object).reason == "line_too_long")
  }

  @Test func errorMessagesNeverRepeatWhatWasTyped() throws {
    let secret = "thandi@example.org"
    for line in [
      #"{"jsonrpc":"2.0","id":1,"method":"chat.send","params":{"sessionId":"nope","text":"\#(secret)"}}"#,
      #"{"jsonrpc":"2.0","id":1,"method":"chat.send","params":{"sessionId":"\#(secret)"}}"#,
      "not json \(secret)",
    ] {
      let response = try #require(server.handle(line: Array(line.utf8)))
      #expect(!response.contains(secret), "\(response)")
    }
  }
}
