import Foundation
import PolicyChat
import Testing

/// The privacy officer's free text is redacted by the engine before it is stored in the
/// request record or the audit log; a text that is nothing but personal data is refused.
@Suite struct OfficerTextTests {
  static let phone = "082 555 1234"
  static let email = "sipho.k@example.org"

  /// An engine with an open complaint; returns both and the request's reference.
  private func openComplaint() throws -> (Engine, String) {
    let engine = try TestEngine.make(seed: 33)
    let session = try TestEngine.adultSession(engine)
    _ = try engine.send("I want to complain about my data being misused", to: session)
    let sent = try engine.send("thandi@example.org", to: session)
    let code = try #require(sent.events.first { $0.type == "verification.send" }?.data["code"])
    _ = try engine.send(code, to: session)
    let text = try engine.send("you shared my data", to: session).text
    let range = try #require(text.range(of: #"RQ-[A-Z0-9]{6}"#, options: .regularExpression))
    return (engine, String(text[range]))
  }

  private func expectNoValues(_ engine: Engine, _ reference: String) throws {
    let request = try #require(try engine.request(reference))
    let stored =
      [request.extensionReason, request.outcome].compactMap { $0 }
      + (try engine.auditLog(reference: reference)).map(\.detail)
    for text in stored {
      #expect(!text.contains(Self.phone) && !text.contains(Self.email), "stored: \(text)")
    }
  }

  @Test func anExtensionReasonIsStoredRedactedInTheRequestAndTheAuditLog() throws {
    let (engine, reference) = try openComplaint()
    let reason = "we are waiting for the call logs of \(Self.phone) from \(Self.email)"
    let extended = try engine.extendRequest(reference, reason: reason, by: "nomsa")
    #expect(extended.extensionReason == "we are waiting for the call logs of [phone] from [email]")
    let audit = try #require(try engine.auditLog(reference: reference).last)
    #expect(audit.action == "extended" && audit.detail.hasSuffix("the call logs of [phone] from [email]"))
    #expect(audit.actor == "nomsa")
    try expectNoValues(engine, reference)
  }

  @Test func aRejectionReasonAndACompletionNoteAreStoredRedacted() throws {
    let (engine, reference) = try openComplaint()
    let rejected = try engine.rejectRequest(reference, reason: "the number \(Self.phone) is not yours", by: "nomsa")
    #expect(rejected.outcome == "the number [phone] is not yours")
    try expectNoValues(engine, reference)

    let (other, second) = try openComplaint()
    let completed = try other.completeRequest(second, note: "wrote to \(Self.email) with the answer", by: "nomsa")
    #expect(completed.outcome == "wrote to [email] with the answer")
    try expectNoValues(other, second)
  }

  @Test func aReasonThatIsNothingButPersonalDataIsRefusedAndNothingIsStored() throws {
    let (engine, reference) = try openComplaint()
    for reason in [Self.email, "call \(Self.phone)", "\(Self.phone), \(Self.email)"] {
      let error = #expect(throws: EngineError.self) {
        try engine.extendRequest(reference, reason: reason, by: "nomsa")
      }
      #expect(error?.code == "invalid_input")
      #expect(error?.description.contains("without personal data") == true, "\(String(describing: error))")
      #expect(error?.description.contains(Self.phone) == false && error?.description.contains(Self.email) == false)
    }
    let request = try #require(try engine.request(reference))
    #expect(request.extendedAt == nil && request.extensionReason == nil)
    #expect(!(try engine.auditLog(reference: reference)).contains { $0.action == "extended" })
  }

  @Test func theNoticeNamesTheKindsAndPlaceholdersButNeverTheValues() throws {
    let engine = TestEngine.shared
    let both = try engine.officerText("the logs of \(Self.email) and \(Self.phone) are late", field: "reason")
    #expect(
      both.notice
        == "Note: the reason held an e-mail address and a phone number; they were replaced by [email] and [phone] "
        + "before it was stored.")
    let two = try engine.officerText("both \(Self.phone) and 083 555 1234 were called", field: "note")
    #expect(two.notice?.hasPrefix("Note: the note held 2 phone numbers; they were replaced by [phone]") == true)
    #expect(try engine.officerText("we need the call logs", field: "reason").notice == nil)
    // A short reason without personal data is the officer's to give, as before.
    #expect(try engine.officerText("duplicate", field: "reason").text == "duplicate")
  }
}
