import Foundation
import PolicyChat
import Testing

@testable import PolicyChatReplay

/// `policy:` steps: the policy changes mid-transcript, on an engine sharing the database,
/// clock and randomness of the one before.
@Suite struct PolicyStepTests: ScratchTranscripts {
  private func replay(_ text: String) throws -> Replay.Outcome {
    try replay(text, as: "policy.yaml")
  }

  /// An adult's consent to keep the chats under version 1; a material change to version 2
  /// a month later; the same device back in a new session.
  static let material = """
    name: a material change
    now: 2026-11-29T09:00:00Z
    seed: 611
    session: {country: ZA, deviceId: laptop-1}
    steps:
      - call: age.declare
        params: {dateOfBirth: "1990-05-01"}
        result: {intent: age.adult}
      - user: you can keep my chats
        intent: consent.given
      - advance: 30d
      - policy: {version: "2", date: "2027-03-01", summary: "Chats are now kept for 90 days.", material: true}
      - open: {name: back, country: ZA, deviceId: laptop-1}
        bot_contains:
          - "The privacy policy has changed since you last agreed to something here (version 1 → 2)"
          - "Chats are now kept for 90 days."
          - off until you agree again
        state: {logging: false, consents: {session_logging: expired}}
      - call: session.export
        in: back
        result:
          openedAt: "2026-12-29T09:00:00Z"
          consents: [{purpose: session_logging, granted: false, method: policy_change, policyVersion: "2"}]
      - open: {name: again, deviceId: laptop-1}
        bot_not_contains: has changed
        state: {logging: false, consents: {session_logging: expired}}
    """

  @Test func aReturningDeviceAfterAMaterialChangeIsToldAndItsLoggingIsOff() throws {
    let transcript = try TranscriptParser.parse(Self.material, file: "material.yaml")
    let step = transcript.steps[3]
    guard case .policy(let revision) = step.action else {
      Issue.record("not a policy step: \(step.action)")
      return
    }
    #expect(
      revision
        == PolicyRevision(version: "2", date: "2027-03-01", summary: "Chats are now kept for 90 days.", material: true))
    #expect(step.line == 12)
    #expect(step.expectations.isEmpty)

    let outcome = try replay(Self.material)
    #expect(outcome.failed == 0, "\(ReplayReport.text(outcome, updating: false))")
    // Two calls, one message and two openings: the policy step is not a turn.
    #expect(outcome.results.first?.turns == 5)

    // Without the change the device is told nothing and its consent stays on.
    let unchanged = try replay(
      Self.material.replacingOccurrences(
        of: "  - policy: {version: \"2\", date: \"2027-03-01\", summary: \"Chats are now kept for 90 days.\", "
          + "material: true}\n",
        with: ""))
    let failures = try #require(unchanged.results.first?.failures)
    #expect(failures.map(\.step).contains("step 4 (open: back)"))
    #expect(failures.map(\.key).contains("bot_contains"))
  }

  @Test func aMinorChangeKeepsTheConsentOn() throws {
    let minor = Self.material
      .replacingOccurrences(of: "material: true}", with: "material: false}")
      .replacingOccurrences(of: "      - off until you agree again\n", with: "")
      .replacingOccurrences(
        of: "state: {logging: false, consents: {session_logging: expired}}",
        with: "state: {logging: true, consents: {session_logging: given}}"
      )
      .replacingOccurrences(
        of: "granted: false, method: policy_change", with: "granted: true, method: policy_update")
    let outcome = try replay(minor)
    #expect(outcome.failed == 0, "\(ReplayReport.text(outcome, updating: false))")
  }

  /// The text of version 1 is kept after the change, in the chat and by protocol. It is
  /// too long for an expectation, so each step here expects it to be missing (`text:
  /// null`) and the failure shows it.
  @Test func theTextBeforeTheChangeIsArchived() throws {
    let outcome = try replay(
      """
      name: archived
      seed: 612
      steps:
        - policy: {version: "2", date: "2027-03-01", summary: "Chats are now kept for 90 days.", material: false}
        - open: later
        - user: show me version 1 of the privacy policy
          in: later
          events: [{type: policy.archive, data: {version: "1", text: null}}]
        - call: policy.archive
          in: later
          params: {version: "1"}
          result: {version: "1", current: false, text: null}
        - call: policy.versions
          in: later
          result: {current: "2", versions: [{version: "1"}, {version: "2", material: false}]}
      """)
    let failures = try #require(outcome.results.first?.failures)
    #expect(failures.map(\.key) == ["events", "result"])
    #expect(failures.map(\.line) == [8, 12])
    #expect(failures.allSatisfy { $0.detail.contains("Rousora's privacy policy protects the information") })
  }

  @Test(arguments: [
    // No `in:`: the step goes to main, opened before the change.
    ("  - user: hi\n    intent: greeting\n", 5, "this step goes to 'main' (it has no 'in:'), which was opened before"),
    ("  - call: chat.explain\n    result: {}\n", 5, "which was opened before the policy change at line 4"),
    ("  - user: hi\n    in: parent\n    intent: greeting\n", 6, "session 'parent' was opened before the policy change"),
    ("  - user: hi\n    in: main\n    intent: greeting\n", 6, "open a new session after the change"),
    ("  - open: parent\n", 5, "a session named 'parent' was opened before the policy change at line 4"),
    ("  - user: hi\n    in: later\n    intent: greeting\n", 6, "(open: none since the policy change)"),
  ])
  func aSessionFromBeforeTheChangeIsALoadError(steps: String, line: Int, reason: String) throws {
    let outcome = try replay(
      "name: x\nsteps:\n  - open: parent\n  - policy: {version: \"2\", date: \"2027-03-01\", summary: s, material: true}\n"
        + steps)
    #expect(outcome.results.isEmpty)
    let error = try #require(outcome.errors.first)
    #expect(error.line == line, "\(error)")
    #expect(error.reason.contains(reason), "\(error)")
  }

  @Test func aSessionOpenedAfterTheChangeTakesSteps() throws {
    let outcome = try replay(
      """
      name: after
      steps:
        - policy: {version: "2", date: "2027-03-01", summary: s, material: true}
        - open: later
        - user: hi
          in: later
          intent: greeting
        - policy: {version: "3", date: "2027-04-01", summary: t, material: false}
        - open: latest
        - call: policy.versions
          in: latest
          result: {current: "3"}
      """)
    #expect(outcome.failed == 0, "\(ReplayReport.text(outcome, updating: false))")
  }

  /// The parser refuses such steps; should one reach the runner, it fails with the reason.
  @Test func theRunnerRefusesASessionFromBeforeTheChange() throws {
    var transcript = try TranscriptParser.parse(
      """
      name: x
      steps:
        - policy: {version: "2", date: "2027-03-01", summary: s, material: true}
      """, file: "x.yaml")
    var hello = Step(line: 4, action: .user("hello"), expectations: Expectations())
    hello.expectations.intent = Located(value: "greeting", line: 5)
    transcript.steps.append(hello)
    let result = TranscriptRunner(policy: try PolicyData.load(home: ReplayTests.root)).run(transcript)
    #expect(result.failures.map(\.key) == ["in"])
    #expect(result.failures.first?.detail.contains("opened before the policy change at line 3") == true)
    #expect(result.failures.first?.detail.contains("open a new session") == true)
  }

  @Test func aVersionThePolicyHasAlreadyStopsTheReplay() throws {
    let outcome = try replay(
      """
      name: same version
      steps:
        - policy: {version: "1", date: "2027-03-01", summary: s, material: true}
        - open: later
        - user: hi
          in: later
          intent: fallback
      """)
    let failures = try #require(outcome.results.first?.failures)
    #expect(failures.map(\.key) == ["policy"])
    #expect(failures.first?.step == "step 1 (policy: version 1 → 1)")
    #expect(failures.first?.detail.contains("version 1 is already a version of the policy") == true)
  }

  @Test(arguments: [
    ("{date: \"2027-03-01\", summary: s, material: true}", 3, "'policy' needs a 'version'"),
    ("{version: \"2\", summary: s, material: true}", 3, "'policy' needs a 'date'"),
    ("{version: \"2\", date: \"2027-03-01\", material: true}", 3, "'policy' needs a 'summary'"),
    ("{version: \"2\", date: \"2027-03-01\", summary: s}", 3, "'policy' needs a 'material'"),
    (
      "{version: \"2\", date: \"2027-03-01\", summary: s, material: true, colour: red}", 3,
      "unknown key 'colour' in policy"
    ),
    ("{version: \"2\", date: \"2027-03-01\", summary: s, material: maybe}", 3, "'material' must be true or false"),
    (
      "{version: \"2\", date: \"March 2027\", summary: s, material: true}", 3, "'date' must be a day such as 2027-03-01"
    ),
    ("{version: \"2\", date: \"2027-02-30\", summary: s, material: true}", 3, "'date' must be a day"),
    ("{version: \"\", date: \"2027-03-01\", summary: s, material: true}", 3, "'version' must not be empty"),
    ("\"2\"", 3, "'policy' must be a mapping"),
    (
      "\n      version: \"2\"\n      date: \"2027-03-01\"\n      summary: s\n      material: true\n      note: x", 8,
      "unknown key 'note' in policy"
    ),
    (
      "{version: \"2\", date: \"2027-03-01\", summary: s, material: true}\n    in: main", 4,
      "unknown key 'in' in a policy step"
    ),
    (
      "{version: \"2\", date: \"2027-03-01\", summary: s, material: true}\n    bot_contains: x", 4,
      "unknown key 'bot_contains' in a policy step"
    ),
  ])
  func aBadPolicyStepIsALoadErrorWithItsLine(policy: String, line: Int, reason: String) throws {
    let outcome = try replay("name: x\nsteps:\n  - policy: " + policy + "\n")
    #expect(outcome.results.isEmpty)
    let error = try #require(outcome.errors.first)
    #expect(outcome.errors.count == 1)
    #expect(error.file.hasSuffix("policy.yaml"))
    #expect(error.line == line, "\(error)")
    #expect(error.reason.contains(reason), "\(error)")
  }
}
