import Foundation
import PolicyChat
import PolicyChatProtocol
import Testing

/// One session must not read or change another's data (issue 10).
///
/// A session id is the bearer capability: whoever presents it acts as that session, and
/// the protocol carries no other identity. What must hold is that the *references and
/// codes* of one person are of no use in another person's session: person B builds up
/// data in several sessions, then session A calls every protocol method with B's
/// references, codes and addresses, and B's data must be unchanged and unread.
///
/// What B has: `b` (an adult: turns, consents, kept chat text, a verified access request
/// `RQ-...`, an erasure waiting for its yes), `b2` (B again, a request waiting for its
/// code) and `child` (a child's session with a parental-consent request `PC-...` whose
/// code went to B's parent).
@Suite struct SessionIsolationTests {
  private let server: TestServer
  private let b: PersonB
  private let a: String

  init() throws {
    // A file, for a second server on the same database; in the temporary folder.
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("isolation-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    server = try TestServer(seed: 31, database: folder.appendingPathComponent("policychat.sqlite").path)
    b = try PersonB(server)
    a = try server.session(["country": "ZA", "deviceId": "device-a"])
    _ = try server.result("age.declare", ["sessionId": a, "dateOfBirth": "1985-01-01"])
  }

  // MARK: Every method from A, with B's references and codes

  @Test func everyMethodFromAnotherSessionLeavesBsDataAlone() throws {
    let before = try b.snapshot(server)
    var newestParentCode = b.parentCode
    // Each entry acts from A with what B has, and checks A's answer; B's data is checked
    // once for all afterwards. A method not listed fails the test below.
    let attacks: [String: () throws -> Void] = [
      "initialize": {
        // Takes no session: the same answer for everyone.
        let result = try server.result("initialize", [:])
        #expect(result["sessionId"] == nil)
      },
      "session.open": {
        let opened = try server.session(["country": "ZA"])
        #expect(!b.sessionIds.contains(opened) && opened != a)
      },
      "chat.send": {
        // B's references typed as text: the same flows as the methods below, and B's
        // references used as a session id are unknown.
        for text in ["What's the status of \(b.accessReference)?", "review consent \(b.parentalReference)"] {
          try expectClean(try server.result("chat.send", ["sessionId": a, "text": text]))
        }
        try expectUnknownSession(try server.call("chat.send", ["sessionId": b.accessReference, "text": "hi"]))
        _ = try server.result("request.cancel", ["sessionId": a])
      },
      "chat.explain": {
        let trace = try server.result("chat.explain", ["sessionId": a])
        #expect(trace["sessionId"] as? String == a)
        try expectClean(trace)
      },
      "session.close": {
        // Only an id closes a session; B's references are not ids (closing B's own id is
        // a bearer act, see sessionCloseTakesOnlyTheSessionsOwnId).
        for reference in [b.accessReference, b.parentalReference] {
          try expectUnknownSession(try server.call("session.close", ["sessionId": reference]))
        }
      },
      "age.declare": {
        try expectClean(try server.result("age.declare", ["sessionId": a, "age": 30]))
      },
      "country.set": {
        try expectClean(try server.result("country.set", ["sessionId": a, "country": "DE"]))
      },
      "parental.request": {
        // A is an adult: nothing to ask; B's parent gets nothing.
        let turn = try server.result("parental.request", ["sessionId": a, "contact": PersonB.parentEmail])
        #expect(turn["intent"] as? String == "parent.not_needed")
        #expect(events(turn).isEmpty)
      },
      "parental.start": {
        let turn = try server.result("parental.start", ["sessionId": a, "reference": b.parentalReference])
        #expect(turn["intent"] as? String == "parent.ask_code")
        #expect(events(turn).isEmpty)
        try expectClean(turn)
      },
      "parental.verify": {
        let turn = try server.result(
          "parental.verify", ["sessionId": a, "reference": b.parentalReference, "code": wrong(b.parentCode)])
        #expect(turn["intent"] as? String == "parent.code_wrong")
        try expectClean(turn)
      },
      "parental.confirm": {
        let turn = try server.result(
          "parental.confirm", ["sessionId": a, "reference": b.parentalReference, "consent": true])
        #expect(turn["intent"] as? String == "parent.code_first")
        #expect(events(turn).isEmpty)
        try expectClean(turn)
      },
      "parental.hostVerified": {
        // The host's word needs no code (hostVerificationIsTheHostsWord); a method the
        // installation does not accept is refused and changes nothing.
        try expectInvalid(
          try server.call(
            "parental.hostVerified", ["sessionId": a, "reference": b.parentalReference, "method": "a_hunch"]),
          field: "method")
      },
      "parental.review": { try parentControl("parental.review", purpose: "parental_control") },
      "parental.revoke": { try parentControl("parental.revoke", purpose: "parental_control") },
      "parental.delete": { try parentControl("parental.delete", purpose: "parental_control") },
      "parental.newCode": {
        // A fresh code goes to B's parent (it replaces the one they had), never to A.
        newestParentCode = try parentControl("parental.newCode", purpose: "parental_consent")
      },
      "consent.set": {
        for (purpose, granted) in [("marketing", false), ("analytics", true), ("session_logging", false)] {
          try expectClean(
            try server.result("consent.set", ["sessionId": a, "purpose": purpose, "granted": granted]))
        }
      },
      "consent.status": { try expectClean(try server.result("consent.status", ["sessionId": a])) },
      "consent.receipt": { try expectClean(try server.result("consent.receipt", ["sessionId": a])) },
      "session.export": {
        let export = try server.result("session.export", ["sessionId": a])
        #expect(export["sessionId"] as? String == a)
        try expectClean(export)
        try expectUnknownSession(try server.call("session.export", ["sessionId": b.accessReference]))
      },
      "request.start": {
        let turn = try server.result("request.start", ["sessionId": a, "type": "erasure"])
        #expect(turn["intent"] as? String == "request.erasure")
      },
      "request.identify": {
        // A claims B's address: the code goes to B's address, and B's pending code, or
        // B's used ones, do not pass for it.
        let turn = try server.result("request.identify", ["sessionId": a, "email": PersonB.email])
        #expect(verification(turn)?["to"] == PersonB.email)
        try expectClean(turn)
      },
      "request.verify": {
        for code in [b.pendingCode] + b.usedCodes {
          let turn = try server.result("request.verify", ["sessionId": a, "code": code])
          #expect(turn["intent"] as? String == "request.code_wrong")
          try expectClean(turn)
        }
        _ = try server.result("request.cancel", ["sessionId": a])
        // Not waiting for a code any more: B's code is refused outright.
        try expectInvalid(try server.call("request.verify", ["sessionId": a, "code": b.pendingCode]), field: "code")
      },
      "request.details": {
        try expectInvalid(
          try server.call("request.details", ["sessionId": a, "text": "about RQ"]), field: "text")
      },
      "request.confirm": {
        // B's erasure waits for B's yes, not A's.
        try expectInvalid(try server.call("request.confirm", ["sessionId": a, "confirm": true]), field: "confirm")
      },
      "request.status": {
        let turn = try server.result("request.status", ["sessionId": a, "reference": b.accessReference])
        #expect(turn["intent"] as? String == "request.status_code_sent")
        // The code goes to the address the request was made with, for the host to deliver;
        // what A sees names the address masked, and nothing of the request.
        let sent = try #require(verification(turn))
        #expect(sent["to"] == PersonB.email && sent["purpose"] == "identity")
        #expect(sent["reference"] == b.accessReference)
        #expect(!b.allCodes.contains(sent["code"] ?? ""))
        try expectClean(turn)
        let text = replies(turn)
        for detail in ["access", "completed", "Received", "due", "open"] { #expect(!text.contains(detail)) }
        // B's codes do not open it.
        let refused = try server.result("request.verify", ["sessionId": a, "code": b.pendingCode])
        #expect(refused["intent"] as? String == "request.code_wrong")
        #expect(!replies(refused).contains("completed"))
        _ = try server.result("request.cancel", ["sessionId": a])
      },
      "request.cancel": {
        let turn = try server.result("request.cancel", ["sessionId": a])
        #expect(turn["intent"] as? String == "request.cancelled")
      },
      "policy.versions": { _ = try server.result("policy.versions", [:]) },
      "policy.archive": { _ = try server.result("policy.archive", ["version": "1"]) },
    ]
    let methods = try #require(try server.result("initialize", [:])["methods"] as? [String])
    for method in methods {
      guard let attack = attacks[method] else {
        Issue.record("\(method) is not covered by the isolation test: add it")
        continue
      }
      try attack()
    }

    // B's sessions, consents and chat text are as they were.
    for (after, was) in zip(try b.snapshot(server), before) where after != was {
      Issue.record("B's data changed:\n\(was)\nbecame\n\(after)")
    }
    // B's waiting steps still wait for B: b2's code still works, b's erasure still waits.
    let verified = try server.result("request.verify", ["sessionId": b.b2, "code": b.pendingCode])
    #expect(verified["intent"] as? String == "request.access_done")
    let answered = try server.result("request.confirm", ["sessionId": b.b, "confirm": false])
    #expect(answered["intent"] as? String == "request.cancelled")
    // B's child's consent is still pending, and B's parent can still give it.
    let child = try server.result("chat.send", ["sessionId": b.child, "text": "hi"])
    #expect((child["state"] as? [String: Any])?["parentalConsent"] as? String == "pending")
    let parent = try server.session(["deviceId": "device-parent"])
    let shown = try server.result(
      "parental.verify", ["sessionId": parent, "reference": b.parentalReference, "code": newestParentCode])
    #expect(shown["intent"] as? String == "parent.ask_agree")
  }

  /// A parent's control from A: a fresh code to the parent's address, nothing carried out.
  @discardableResult
  private func parentControl(_ method: String, purpose: String) throws -> String {
    // Another conversation of A's device each time: one conversation gets only a few codes
    // a day (CodeBudgetTests), and this test is about where codes go, not how many.
    let attacker = try server.session(["country": "ZA", "deviceId": "device-a"])
    let turn = try server.result(method, ["sessionId": attacker, "reference": b.parentalReference])
    #expect(turn["intent"] as? String == "parent.verify_again", "\(method)")
    let sent = try #require(verification(turn))
    #expect(sent["to"] == PersonB.parentEmail && sent["purpose"] == purpose)
    try expectClean(turn)
    return try #require(sent["code"])
  }

  // MARK: The session is the capability

  @Test func sessionCloseTakesOnlyTheSessionsOwnId() throws {
    // The protocol has no caller identity beyond the id: whoever holds B's id (the host)
    // may close B's session; nothing else closes it.
    for reference in [b.accessReference, b.parentalReference, PersonB.email] {
      try expectUnknownSession(try server.call("session.close", ["sessionId": reference]))
    }
    _ = try server.result("session.close", ["sessionId": a])
    #expect(try server.result("chat.explain", ["sessionId": b.b])["sessionId"] as? String == b.b)
    try expectUnknownSession(try server.call("session.close", ["sessionId": a]))
  }

  @Test func closedAndForeignSessionIdsAreUnknownForEveryMethod() throws {
    _ = try server.result("session.close", ["sessionId": a])
    // A second server process on the same database file knows none of the first one's
    // sessions, and the first knows none of the second's.
    let other = try TestServer(seed: 32, database: server.database)
    let foreign = try other.session(["country": "ZA"])
    let methods = try #require(try server.result("initialize", [:])["methods"] as? [String])
    for method in methods {
      guard var params = Self.sampleParams[method] else {
        Issue.record("\(method) has no sample params here: add it")
        continue
      }
      guard params["sessionId"] != nil else { continue }
      for (where_, id, on) in [("closed", a, server), ("open on the first", b.b, other), ("foreign", foreign, server)] {
        params["sessionId"] = id
        let response = try on.call(method, params)
        let error = try #require(response["error"] as? [String: Any], "\(method), \(where_): \(response)")
        #expect(error["code"] as? Int == -32001, "\(method), \(where_)")
        #expect((error["data"] as? [String: Any])?["reason"] as? String == "unknown_session", "\(method)")
      }
    }
  }

  /// Valid params for every method, so that only the session id is at fault.
  private static var sampleParams: [String: [String: Any]] {
    [
      "initialize": [:], "session.open": [:], "policy.versions": [:], "policy.archive": ["version": "1"],
      "chat.send": ["sessionId": "", "text": "hi"], "chat.explain": ["sessionId": ""],
      "session.close": ["sessionId": ""], "age.declare": ["sessionId": "", "age": 30],
      "country.set": ["sessionId": "", "country": "ZA"],
      "parental.request": ["sessionId": "", "contact": "p@example.org"],
      "parental.start": ["sessionId": "", "reference": "PC-222222"],
      "parental.verify": ["sessionId": "", "reference": "PC-222222", "code": "123456"],
      "parental.confirm": ["sessionId": "", "reference": "PC-222222", "consent": true],
      "parental.hostVerified": ["sessionId": "", "reference": "PC-222222", "method": "card"],
      "parental.review": ["sessionId": "", "reference": "PC-222222"],
      "parental.revoke": ["sessionId": "", "reference": "PC-222222"],
      "parental.delete": ["sessionId": "", "reference": "PC-222222"],
      "parental.newCode": ["sessionId": "", "reference": "PC-222222"],
      "consent.set": ["sessionId": "", "purpose": "marketing", "granted": true],
      "consent.status": ["sessionId": ""], "consent.receipt": ["sessionId": ""], "session.export": ["sessionId": ""],
      "request.start": ["sessionId": "", "type": "access"],
      "request.identify": ["sessionId": "", "email": "x@example.org"],
      "request.verify": ["sessionId": "", "code": "123456"], "request.details": ["sessionId": "", "text": "x"],
      "request.confirm": ["sessionId": "", "confirm": true],
      "request.status": ["sessionId": "", "reference": "RQ-222222"],
      "request.cancel": ["sessionId": ""],
    ]
  }

  @Test func hostVerificationIsTheHostsWordFromAnySession() throws {
    // `parental.hostVerified` carries no code: the host says it verified the parent its
    // own way (card, ID document...), and the host is the party holding every session id.
    // So it counts from whichever session the host sends it in; the person cannot reach it
    // by typing. Recorded here so that a change to this is a decision, not an accident.
    let turn = try server.result(
      "parental.hostVerified", ["sessionId": a, "reference": b.parentalReference, "method": "card"])
    #expect(turn["intent"] as? String == "parent.verified")
    let child = try server.result("chat.send", ["sessionId": b.child, "text": "hi"])
    #expect((child["state"] as? [String: Any])?["parentalConsent"] as? String == "verified")
  }

  // MARK: Guessing codes

  @Test func guessingAnIdentityCodeStopsAfterFiveTriesEvenForTheRightCode() throws {
    // A looks up B's request and guesses the code sent to B (requests.yaml: 5 tries).
    let sent = try server.result("request.status", ["sessionId": a, "reference": b.accessReference])
    let code = try #require(verification(sent)?["code"])
    for try_ in 1...4 {
      let turn = try server.result("request.verify", ["sessionId": a, "code": wrong(code, by: try_)])
      #expect(turn["intent"] as? String == "request.code_wrong")
      #expect(replies(turn).contains(try_ == 4 ? "1 more try" : "\(5 - try_) more tries"))
    }
    let locked = try server.result("request.verify", ["sessionId": a, "code": wrong(code, by: 5)])
    #expect(locked["intent"] as? String == "request.code_locked")
    let decision = try #require(locked["decision"] as? [String: Any])
    #expect(decision["kind"] as? String == "verification.locked" && decision["outcome"] as? String == "locked")
    let right = try server.result("request.verify", ["sessionId": a, "code": code])
    #expect(right["intent"] as? String == "request.code_locked")
    #expect(!replies(right).contains("completed"))
  }

  @Test func guessingAParentsCodeStopsAfterFiveTriesAndConsentsToNothing() throws {
    // age-gate.yaml: 5 tries per parental code.
    for try_ in 1...4 {
      let turn = try server.result(
        "parental.verify",
        ["sessionId": a, "reference": b.parentalReference, "code": wrong(b.parentCode, by: try_)])
      #expect(turn["intent"] as? String == "parent.code_wrong")
    }
    let locked = try server.result(
      "parental.verify", ["sessionId": a, "reference": b.parentalReference, "code": wrong(b.parentCode, by: 5)])
    #expect(locked["intent"] as? String == "parent.locked")
    #expect((locked["decision"] as? [String: Any])?["kind"] as? String == "parental_consent.locked")
    // Even the right code, and even from the real parent's own session.
    let parent = try server.session(["deviceId": "device-parent"])
    for session in [a, parent] {
      let right = try server.result(
        "parental.verify", ["sessionId": session, "reference": b.parentalReference, "code": b.parentCode])
      #expect(right["intent"] as? String == "parent.locked")
      let agreed = try server.result(
        "parental.confirm", ["sessionId": session, "reference": b.parentalReference, "consent": true])
      #expect(agreed["intent"] as? String == "parent.code_first")
    }
    let child = try server.result("chat.send", ["sessionId": b.child, "text": "hi"])
    #expect((child["state"] as? [String: Any])?["parentalConsent"] as? String == "pending")
  }

  // MARK: Checks

  /// Whether a response carries nothing of B's: addresses, codes, session ids. Events are
  /// the host's (a code goes *to* B's address through them) and checked where they occur.
  private func expectClean(_ response: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) throws {
    var shown = response
    shown["events"] = nil
    let text = String(decoding: try JSONSerialization.data(withJSONObject: shown), as: UTF8.self)
    for secret in b.secrets where text.contains(secret) {
      Issue.record("B's data in A's answer: \(secret)", sourceLocation: sourceLocation)
    }
    // Events other than a code's delivery must not carry B's data either.
    for event in events(response) where event["type"] as? String != "verification.send" {
      let data = String(decoding: try JSONSerialization.data(withJSONObject: event), as: UTF8.self)
      for secret in b.secrets where data.contains(secret) {
        Issue.record("B's data in an event of A's turn: \(secret)", sourceLocation: sourceLocation)
      }
    }
  }

  private func expectUnknownSession(
    _ response: [String: Any], sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let error = try #require(response["error"] as? [String: Any], "\(response)", sourceLocation: sourceLocation)
    #expect(error["code"] as? Int == -32001, sourceLocation: sourceLocation)
    #expect(
      (error["data"] as? [String: Any])?["reason"] as? String == "unknown_session", sourceLocation: sourceLocation)
  }

  private func expectInvalid(
    _ response: [String: Any], field: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let error = try #require(response["error"] as? [String: Any], "\(response)", sourceLocation: sourceLocation)
    #expect(error["code"] as? Int == -32602, sourceLocation: sourceLocation)
    let data = error["data"] as? [String: Any]
    #expect(data?["reason"] as? String == "invalid_params", sourceLocation: sourceLocation)
    #expect(data?["field"] as? String == field, sourceLocation: sourceLocation)
    let message = error["message"] as? String ?? ""
    for secret in b.secrets { #expect(!message.contains(secret), sourceLocation: sourceLocation) }
  }
}

// MARK: - Fixtures

extension TestServer {
  /// Opens a session and returns its id.
  fileprivate func session(_ params: [String: Any]) throws -> String {
    try #require(try result("session.open", params)["sessionId"] as? String)
  }
}

/// Person B's sessions, references and codes.
private struct PersonB {
  static let email = "b.person@example.org"
  static let parentEmail = "b.parent@example.org"
  let b: String
  let b2: String
  let child: String
  let accessReference: String
  let parentalReference: String
  /// The code b2's request waits for.
  let pendingCode: String
  /// The codes that verified b's access and erasure requests.
  let usedCodes: [String]
  /// The code sent to B's parent.
  let parentCode: String

  var sessionIds: [String] { [b, b2, child] }
  var allCodes: [String] { [pendingCode, parentCode] + usedCodes }
  /// What A must never see: B's addresses, codes and session ids.
  var secrets: [String] { [Self.email, Self.parentEmail] + allCodes + sessionIds }

  init(_ server: TestServer) throws {
    // A local, so that the helper below may use it before `self` is complete.
    let b = try server.session(["country": "ZA", "locale": "en-ZA", "deviceId": "device-b"])
    self.b = b
    _ = try server.result("chat.send", ["sessionId": b, "text": "Do you sell my data?"])
    _ = try server.result("age.declare", ["sessionId": b, "dateOfBirth": "1990-05-01"])
    for purpose in ["session_logging", "marketing"] {
      _ = try server.result("consent.set", ["sessionId": b, "purpose": purpose, "granted": true])
    }
    _ = try server.result("chat.send", ["sessionId": b, "text": "How long do you keep my data?"])
    // A request made and verified in b; the turn after the code.
    func verifiedRequest(_ type: String) throws -> (code: String, turn: [String: Any]) {
      _ = try server.result("request.start", ["sessionId": b, "type": type])
      let sent = try server.result("request.identify", ["sessionId": b, "email": Self.email])
      let code = try #require(verification(sent)?["code"])
      return (code, try server.result("request.verify", ["sessionId": b, "code": code]))
    }
    let access = try verifiedRequest("access")
    #expect(access.turn["intent"] as? String == "request.access_done")
    accessReference = try #require(replies(access.turn).firstMatch(of: /RQ-[0-9A-Z]{6}/).map { String($0.0) })
    let erasure = try verifiedRequest("erasure")
    #expect(erasure.turn["intent"] as? String == "request.confirm_erasure")
    usedCodes = [access.code, erasure.code]

    b2 = try server.session(["country": "ZA", "deviceId": "device-b2"])
    _ = try server.result("age.declare", ["sessionId": b2, "dateOfBirth": "1990-05-01"])
    _ = try server.result("request.start", ["sessionId": b2, "type": "access"])
    let pending = try server.result("request.identify", ["sessionId": b2, "email": Self.email])
    pendingCode = try #require(verification(pending)?["code"])

    child = try server.session(["country": "DE", "deviceId": "device-kid"])
    _ = try server.result("age.declare", ["sessionId": child, "age": 14])
    let asked = try server.result("parental.request", ["sessionId": child, "contact": Self.parentEmail])
    let sent = try #require(verification(asked))
    parentalReference = try #require(sent["reference"])
    parentCode = try #require(sent["code"])
  }

  /// What B's sessions hold, to compare before and after A acted: the exports, the
  /// receipt, the last trace, each as JSON with sorted keys.
  func snapshot(_ server: TestServer) throws -> [String] {
    var parts: [String] = []
    for session in sessionIds {
      for method in ["session.export", "consent.receipt", "chat.explain"] {
        var result = try server.result(method, ["sessionId": session])
        // A receipt gets a new id each time it is made; what it says must not change.
        if var receipt = result["receipt"] as? [String: Any] {
          receipt["consentReceiptID"] = nil
          result["receipt"] = receipt
        }
        parts.append(
          String(decoding: try JSONSerialization.data(withJSONObject: result, options: .sortedKeys), as: UTF8.self))
      }
    }
    return parts
  }
}

private func events(_ turn: [String: Any]) -> [[String: Any]] {
  turn["events"] as? [[String: Any]] ?? []
}

/// The data of the turn's `verification.send` event.
private func verification(_ turn: [String: Any]) -> [String: String]? {
  events(turn).first { $0["type"] as? String == "verification.send" }?["data"] as? [String: String]
}

private func replies(_ turn: [String: Any]) -> String {
  (turn["replies"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }.joined(separator: "\n")
}

/// A code that is not `code`: each digit shifted, the last by `by` more.
private func wrong(_ code: String, by offset: Int = 1) -> String {
  let digits = code.compactMap(\.wholeNumberValue)
  return digits.enumerated().map { index, digit in
    String((digit + (index == digits.count - 1 ? offset : 1)) % 10)
  }.joined()
}
