import Foundation
import PolicyChat
import PolicyChatProtocol
import Testing

/// The age-screen and parental-consent methods, through the dispatcher.
@Suite struct GateMethodTests {
  private let server: TestServer

  init() throws {
    server = try TestServer(seed: 11)
  }

  private func call(_ method: String, _ params: [String: Any]) throws -> [String: Any] {
    try server.call(method, params)
  }

  private func turn(_ method: String, _ params: [String: Any]) throws -> [String: Any] {
    try server.result(method, params)
  }

  private func state(_ turn: [String: Any]) -> [String: Any] { turn["state"] as? [String: Any] ?? [:] }

  private func event(_ turn: [String: Any], _ type: String) -> [String: String]? {
    let events = turn["events"] as? [[String: Any]] ?? []
    return events.first { $0["type"] as? String == type }?["data"] as? [String: String]
  }

  @Test func initializeListsTheGateMethods() throws {
    let methods = try turn("initialize", [:])["methods"] as? [String] ?? []
    for method in ["age.declare", "country.set", "parental.request", "parental.verify", "parental.confirm"] {
      #expect(methods.contains(method))
    }
  }

  @Test func initializeNamesTheHostOnlyMethods() throws {
    let result = try turn("initialize", [:])
    let hostOnly = try #require(result["hostOnlyMethods"] as? [String])
    #expect(hostOnly == ["parental.hostVerified"])
    #expect(Set(hostOnly).isSubset(of: Set(result["methods"] as? [String] ?? [])))
  }

  @Test func theHostsVerificationIsRefusedInTheChildsSessionAndOnItsDevice() throws {
    let child = try #require(try turn("session.open", ["deviceId": "kid-tablet"])["sessionId"] as? String)
    _ = try turn("country.set", ["sessionId": child, "country": "DE"])
    _ = try turn("age.declare", ["sessionId": child, "age": 14])
    let asked = try turn("parental.request", ["sessionId": child, "contact": "parent@example.com"])
    let reference = try #require(event(asked, "verification.send")?["reference"])
    let sameDevice = try #require(try turn("session.open", ["deviceId": "kid-tablet"])["sessionId"] as? String)
    for session in [child, sameDevice] {
      let refused = try turn("parental.hostVerified", ["sessionId": session, "reference": reference, "method": "card"])
      #expect(refused["intent"] as? String == "parent.same_person", "\(refused)")
      #expect((refused["decision"] as? [String: Any])?["kind"] as? String == "parental_consent.same_person")
      #expect(event(refused, "parental_consent.confirmed") == nil)
    }
    #expect(
      state(try turn("chat.send", ["sessionId": child, "text": "hi"]))["parentalConsent"] as? String == "pending")
    // From the host's own session for the parent, it is taken.
    let host = try #require(try turn("session.open", [:])["sessionId"] as? String)
    let verified = try turn("parental.hostVerified", ["sessionId": host, "reference": reference, "method": "card"])
    #expect(verified["intent"] as? String == "parent.verified")
  }

  @Test func aWholeParentalConsentByMethods() throws {
    let child = try #require(try turn("session.open", ["deviceId": "kid"])["sessionId"] as? String)
    #expect(state(try turn("country.set", ["sessionId": child, "country": "de"]))["country"] as? String == "DE")
    let declared = try turn("age.declare", ["sessionId": child, "age": 14])
    #expect(state(declared)["ageGate"] as? String == "needs_parental_consent")
    #expect((declared["decision"] as? [String: Any])?["kind"] as? String == "age_gate.parental_consent_required")

    let asked = try turn("parental.request", ["sessionId": child, "contact": "parent@example.com"])
    let send = try #require(event(asked, "verification.send"))
    let reference = try #require(send["reference"])
    let code = try #require(send["code"])

    let parent = try #require(try turn("session.open", ["deviceId": "parent"])["sessionId"] as? String)
    let shown = try turn("parental.verify", ["sessionId": parent, "reference": reference, "code": code])
    #expect(shown["intent"] as? String == "parent.ask_agree")
    let confirmed = try turn("parental.confirm", ["sessionId": parent, "reference": reference, "consent": true])
    #expect(confirmed["intent"] as? String == "parent.verified")
    #expect(event(confirmed, "parental_consent.confirmed")?["method"] == "email_plus")
    #expect(
      state(try turn("chat.send", ["sessionId": child, "text": "hi"]))["parentalConsent"] as? String == "verified")
  }

  @Test(
    arguments: [
      ("age.declare", ["dateOfBirth": "31 February 2010"], "dateOfBirth"),
      ("age.declare", [:], "dateOfBirth"),
      ("country.set", ["country": "Atlantis"], "country"),
      ("country.set", ["country": "EU"], "country"),
      ("country.set", ["country": "European Union"], "country"),
      ("parental.request", ["contact": "not an address"], "contact"),
      ("parental.hostVerified", ["reference": "PC-ZZZZZZ", "method": "card"], "reference"),
      ("parental.confirm", ["reference": "PC-ZZZZZZ"], "consent"),
    ] as [(String, [String: String], String)])
  func aValueTheMethodCannotUseIsInvalidParamsNamingTheField(
    method: String, params: [String: String], field: String
  ) throws {
    let session = try #require(try turn("session.open", [:])["sessionId"] as? String)
    var all: [String: Any] = params
    all["sessionId"] = session
    let response = try call(method, all)
    let error = try #require(response["error"] as? [String: Any], "\(response)")
    #expect(error["code"] as? Int == -32602)
    #expect((error["data"] as? [String: Any])?["field"] as? String == field)
    for value in params.values { #expect(!(error["message"] as? String ?? "").contains(value)) }
  }

  @Test func aGroupOfCountriesIsNotACountryForTheProtocol() throws {
    let opened = try turn("session.open", ["country": "EU"])
    #expect(state(opened)["country"] == nil)
    let session = try #require(opened["sessionId"] as? String)
    let error = try #require(
      try call("country.set", ["sessionId": session, "country": "eu"])["error"] as? [String: Any])
    #expect(
      error["message"] as? String
        == "Invalid params: country must be a country, not a group of countries: the age rules differ between its countries"
    )
    #expect(
      state(try turn("country.set", ["sessionId": session, "country": "California"]))["country"] as? String == "US")
  }
}
