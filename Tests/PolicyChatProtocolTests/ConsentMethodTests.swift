import Foundation
import PolicyChat
import PolicyChatProtocol
import Testing

/// consent.set, consent.status, consent.receipt and session.export through the dispatcher.
@Suite struct ConsentMethodTests {
  private let server: TestServer

  init() throws {
    server = try TestServer(seed: 12)
  }

  private func call(_ method: String, _ params: [String: Any]) throws -> [String: Any] {
    try server.call(method, params)
  }

  private func result(_ method: String, _ params: [String: Any]) throws -> [String: Any] {
    try server.result(method, params)
  }

  @Test func consentByMethodsIsRecordedReceiptedAndExported() throws {
    let session = try #require(try result("session.open", ["country": "DE"])["sessionId"] as? String)
    _ = try result("age.declare", ["sessionId": session, "dateOfBirth": "1990-05-01"])
    let none = try result("consent.receipt", ["sessionId": session])
    #expect(none["receipt"] is NSNull)

    let given = try result("consent.set", ["sessionId": session, "purpose": "session_logging", "granted": true])
    #expect((given["state"] as? [String: Any])?["logging"] as? Bool == true)
    _ = try result("chat.send", ["sessionId": session, "text": "my e-mail is thandi@example.org"])

    let receipt = try #require(try result("consent.receipt", ["sessionId": session])["receipt"] as? [String: Any])
    #expect(receipt["version"] as? String == "KI-CR-v1.1.0")
    #expect(receipt["jurisdiction"] as? String == "DE")

    let export = try result("session.export", ["sessionId": session])
    let transcript = try #require(export["transcript"] as? [[String: Any]])
    #expect(transcript.first?["text"] as? String == "my e-mail is [email]")
    let consents = try #require(export["consents"] as? [[String: Any]])
    #expect(consents.first?["method"] as? String == "protocol")
    #expect((consents.first?["expiresAt"] as? String)?.hasPrefix("2027-05-") == true)

    let status = try result("consent.status", ["sessionId": session])
    #expect((status["replies"] as? [[String: Any]])?.first?["text"] as? String != nil)
  }

  @Test(
    arguments: [
      ("essential", false, "purpose"), ("cookies", true, "purpose"), ("analytics", nil, "granted"),
    ] as [(String, Bool?, String)])
  func aBadConsentIsInvalidParamsNamingTheField(purpose: String, granted: Bool?, field: String) throws {
    let session = try #require(try result("session.open", [:])["sessionId"] as? String)
    var all: [String: Any] = ["sessionId": session, "purpose": purpose]
    if let granted { all["granted"] = granted }
    let error = try #require(try call("consent.set", all)["error"] as? [String: Any])
    #expect(error["code"] as? Int == -32602)
    #expect((error["data"] as? [String: Any])?["field"] as? String == field)
  }

  @Test func aClosedSessionCannotBeExported() throws {
    let session = try #require(try result("session.open", [:])["sessionId"] as? String)
    _ = try result("session.close", ["sessionId": session])
    let error = try #require(try call("session.export", ["sessionId": session])["error"] as? [String: Any])
    #expect(error["code"] as? Int == -32001)
  }
}
