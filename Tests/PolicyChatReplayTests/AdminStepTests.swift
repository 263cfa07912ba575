import Foundation
import PolicyChat
import Testing

@testable import PolicyChatReplay

/// `admin:` steps: the privacy officer's actions on a transcript's engine.
@Suite struct AdminStepTests: ScratchTranscripts {
  private func replay(_ text: String) throws -> Replay.Outcome {
    try replay(text, as: "admin.yaml")
  }

  /// A human review (no age screen), rejected by the officer, told at the device's next
  /// session and only then. The code is the one seed 9 gives.
  static let rejection = """
    name: an officer's rejection
    now: 2026-11-29T09:00:00Z
    seed: 9
    session: {country: ZA, deviceId: phone-1}
    steps:
      - user: I want a person to review this
        intent: request.human_review
      - user: thandi@example.org
        events: [{type: verification.send, data: {code: "139638"}}]
      - user: "139638"
        intent: request.ask_details_human_review
      - user: please check the age decision you made about me
        bot_contains: "Your human review request is RQ-E8GTCF."
      - admin: reject
        reference: last
        reason: "there was no age decision to review"
        officer: nomsa
      - open: {name: next, deviceId: phone-1}
        bot_contains: "Your human review request RQ-E8GTCF was rejected: there was no age decision to review."
      - open: {name: again, deviceId: phone-1}
        bot_not_contains: rejected
    """

  @Test func aRejectionIsToldAtTheNextSessionOnTheSameDevice() throws {
    let outcome = try replay(Self.rejection)
    #expect(outcome.failed == 0, "\(ReplayReport.text(outcome, updating: false))")
    // Four turns and two openings; the admin step is not a turn.
    #expect(outcome.results.first?.turns == 6)

    // The reference may be given as written, in any case.
    let explicit = try replay(Self.rejection.replacingOccurrences(of: "reference: last", with: "reference: rq-e8gtcf"))
    #expect(explicit.failed == 0, "\(ReplayReport.text(explicit, updating: false))")

    // Without the rejection, the next session has nothing to tell: the admin step did it.
    let withoutAdmin = Self.rejection.replacingOccurrences(
      of: """
          - admin: reject
            reference: last
            reason: "there was no age decision to review"
            officer: nomsa

        """, with: "")
    let failed = try replay(withoutAdmin)
    let failures = try #require(failed.results.first?.failures)
    #expect(failures.map(\.key) == ["bot_contains"])
    #expect(failures.map(\.step) == ["step 5 (open: next)"])
  }

  @Test func aReferenceInACallsReplyCountsAsTheLastOne() throws {
    let outcome = try replay(
      """
      name: through the protocol
      now: 2026-11-29T09:00:00Z
      seed: 9
      session: {country: ZA, deviceId: phone-1}
      steps:
        - call: request.start
          params: {type: human_review}
          result: {intent: request.human_review}
        - call: request.identify
          params: {email: thandi@example.org}
          result: {events: [{type: verification.send, data: {code: "139638"}}]}
        - call: request.verify
          params: {code: "139638"}
          result: {intent: request.ask_details_human_review}
        - call: request.details
          params: {text: please check the age decision}
          result: {intent: request.passed_on}
        - admin: complete
          reference: last
          note: checked by nomsa
        - admin: complete
          reference: last
          error: true
      """)
    #expect(outcome.failed == 0, "\(ReplayReport.text(outcome, updating: false))")
  }

  @Test func anUnknownReferenceFailsTheStepWithTheEnginesReason() throws {
    let outcome = try replay(
      """
      name: unknown
      steps:
        - admin: complete
          reference: RQ-ZZZZZZ
        - admin: lift
          reference: last
        - user: hello
          intent: greeting
      """)
    #expect(outcome.failed == 1)
    let result = try #require(outcome.results.first)
    #expect(result.failures.map(\.line) == [3, 5])
    #expect(result.failures.map(\.key) == ["admin", "reference"])
    #expect(result.failures.map(\.step) == ["step 1 (admin: complete RQ-ZZZZZZ)", "step 2 (admin: lift last)"])
    #expect(result.failures[0].detail == "RQ-ZZZZZZ: invalid reference: expected the reference of a request (RQ-...)")
    #expect(result.failures[1].detail.contains("no reply so far has shown a request reference"))
    // The steps after a failing admin step still run.
    #expect(result.turns == 1)
    let report = ReplayReport.text(outcome, updating: false)
    #expect(report.contains(":3: step 1 (admin: complete RQ-ZZZZZZ): admin"), "\(report)")
  }

  @Test func errorTrueExpectsTheActionToBeRefused() throws {
    // Refused as expected: a request rejected already, and one that does not exist.
    let refused = try replay(
      Self.rejection + """

          - admin: reject
            reference: RQ-E8GTCF
            reason: a second time
            error: true
          - admin: extend
            reference: last
            reason: more time
            error: true
          - admin: lift
            reference: RQ-ZZZZZZ
            error: true
          - admin: complete
            reference: RQ-E8GTCF
            error: false
        """)
    let failures = try #require(refused.results.first?.failures)
    // Only `error: false` on a closed request fails: that one was expected to work.
    #expect(failures.map(\.key) == ["admin"])
    #expect(failures.map(\.line) == [33])
    #expect(failures.first?.detail.contains("an open request (this one is rejected)") == true)

    // Done when it should have been refused: the step fails at its `error:` line.
    let done = Self.rejection.replacingOccurrences(
      of: "    officer: nomsa\n", with: "    officer: nomsa\n    error: true\n")
    let outcome = try replay(done)
    let failed = try #require(outcome.results.first?.failures)
    #expect(failed.map(\.line) == [18])
    #expect(failed.map(\.key) == ["error"])
    #expect(failed.map(\.step) == ["step 5 (admin: reject last)"])
    #expect(
      failed.first?.detail
        == "expected reject to be refused, but it was done: RQ-E8GTCF (the last reference seen) is rejected")
  }

  @Test func anAdminStepIsReadWithItsDefaults() throws {
    let transcript = try TranscriptParser.parse(
      """
      name: read
      steps:
        - admin: extend
          reference: RQ-7F3K2P
          reason: "we need the call logs"
          officer: nomsa
        - admin: complete
          reference: last
        - admin: lift
          reference: last
          error: true
      """, file: "read.yaml")
    let actions = transcript.steps.compactMap { step -> AdminAction? in
      if case .admin(let action) = step.action { action } else { nil }
    }
    #expect(
      actions == [
        AdminAction(kind: .extend, reference: "RQ-7F3K2P", reason: "we need the call logs", officer: "nomsa"),
        AdminAction(kind: .complete, reference: "last"),
        AdminAction(kind: .lift, reference: "last", expectsError: Located(value: true, line: 11)),
      ])
    #expect(actions[1].officer == "privacy officer")
    #expect(transcript.steps.map(\.line) == [3, 7, 9])
    #expect(transcript.steps.allSatisfy { $0.expectations.isEmpty && $0.session == Transcript.mainSession })
  }

  @Test(arguments: [
    ("  - admin: approve\n    reference: RQ-7F3K2P\n", 3, "'admin' must be one of: reject, extend, complete, lift"),
    ("  - admin: [reject]\n    reference: last\n", 3, "'admin' must be text"),
    ("  - admin: reject\n    reason: no\n", 3, "an admin step needs a 'reference'"),
    ("  - admin: lift\n    reference: \"\"\n", 4, "'reference' must be RQ-... or last"),
    ("  - admin: reject\n    reference: last\n", 3, "'admin: reject' needs a 'reason'"),
    ("  - admin: extend\n    reference: last\n", 3, "'admin: extend' needs a 'reason'"),
    ("  - admin: complete\n    reference: last\n    reason: done\n", 5, "'reason' is for 'admin: reject' and"),
    ("  - admin: reject\n    reference: last\n    reason: x\n    note: y\n", 6, "'note' is for 'admin: complete' only"),
    ("  - admin: lift\n    reference: last\n    in: main\n", 5, "unknown key 'in' in an admin step"),
    (
      "  - admin: lift\n    reference: last\n    bot_contains: lifted\n", 5,
      "unknown key 'bot_contains' in an admin step"
    ),
    ("  - admin: lift\n    reference: last\n    error: maybe\n", 5, "'error' in an admin step must be true or false"),
    ("  - admin: lift\n    reference: last\n    officer: \" \"\n", 5, "'officer' must name who acts"),
  ])
  func aBadAdminStepIsALoadErrorWithItsLine(steps: String, line: Int, reason: String) throws {
    let outcome = try replay("name: x\nsteps:\n" + steps)
    #expect(outcome.results.isEmpty)
    let error = try #require(outcome.errors.first)
    #expect(outcome.errors.count == 1)
    #expect(error.file.hasSuffix("admin.yaml"))
    #expect(error.line == line, "\(error)")
    #expect(error.reason.contains(reason), "\(error)")
  }

  @Test func theLastReferenceIsTheMostRecentOneInTheReplies() {
    #expect(TranscriptRunner.lastReference(in: []) == nil)
    #expect(TranscriptRunner.lastReference(in: ["no reference here", "rq-7f3k2p is not one"]) == nil)
    #expect(TranscriptRunner.lastReference(in: ["Your request is RQ-7F3K2P."]) == "RQ-7F3K2P")
    #expect(
      TranscriptRunner.lastReference(in: ["RQ-AAAAAA, then RQ-BBBBBB", "and RQ-CCCCCC.", "nothing"]) == "RQ-CCCCCC")
  }
}
