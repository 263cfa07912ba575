import Foundation
import PolicyChat
import Testing

@testable import PolicyChatReplay

/// Transcripts that drive several sessions of one engine: `open:` steps and `in:`.
@Suite struct MultiSessionTests: ScratchTranscripts {
  static let twoSessions = """
    name: two sessions
    now: 2026-11-29T09:00:00Z
    seed: 5
    session: {country: DE}
    steps:
      - user: How long does cookie consent last in Germany?
        intent: policy.cookies.consent
        state: {topic: cookies.consent}
      - open: parent
      - user: Do you sell personal information?
        in: parent
        intent: policy.sharing
        state: {topic: sharing}
      - user: and how long is that valid?
        intent: policy.cookies.consent
        state: {topic: cookies.consent}
      - call: chat.explain
        in: parent
        result: {trace: {intent: policy.sharing}}
      - call: chat.explain
        in: main
        result: {trace: {intent: policy.cookies.consent}}
      - advance: 30d
      - call: session.close
        in: parent
        result: {closed: true}
      - call: chat.send
        in: parent
        params: {text: hello}
        error: {code: -32001, data: {reason: unknown_session}}
      - user: hello
        intent: greeting
    """

  @Test func twoSessionsInOneTranscriptEachGetTheirOwnSteps() throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try write(Self.twoSessions, "two.yaml", in: folder)
    let outcome = replay([path])
    #expect(outcome.failed == 0, "\(ReplayReport.text(outcome, updating: false))")
    // The open step, four turns and four calls.
    #expect(outcome.results.first?.turns == 9)

    // A step in the second session fails at its own line, labelled with its session.
    let broken = Self.twoSessions.replacingOccurrences(
      of: "result: {trace: {intent: policy.sharing}}", with: "result: {trace: {intent: policy.cookies.consent}}")
    let brokenPath = try write(broken, "broken.yaml", in: folder)
    let failed = replay([brokenPath])
    #expect(failed.failed == 1)
    let failures = try #require(failed.results.first?.failures)
    #expect(failures.map(\.line) == [19])
    #expect(failures.map(\.step) == ["step 5 (call in parent: chat.explain)"])
  }

  static let openWithOptions = """
    name: open with options
    now: 2026-11-29T09:00:00Z
    seed: 3
    steps:
      - open: {name: parent, country: ZA, locale: en-ZA, deviceId: dev-2, signals: {dnt: true}}
        intent: opening
        bot_contains: [automated privacy assistant, not a person]
        events: [{type: disclosure}]
        state: {topic: null}
      - open: guest
      - user: hello
        in: guest
        intent: greeting
    """

  @Test func anOpenStepTakesTheSessionOptionsAndTheOpeningExpectations() throws {
    let transcript = try TranscriptParser.parse(Self.openWithOptions, file: "open.yaml")
    #expect(transcript.steps.count == 3)
    let first = try #require(transcript.steps.first)
    guard case .open(let name, let options) = first.action else {
      Issue.record("not an open step: \(first.action)")
      return
    }
    #expect(name == "parent")
    #expect(
      options
        == SessionOptions(country: "ZA", locale: "en-ZA", deviceId: "dev-2", signals: BrowserSignals(dnt: true)))
    #expect(first.line == 5)
    #expect(first.expectations.intent?.value == "opening")
    #expect(first.expectations.intent?.line == 6)
    #expect(first.expectations.botContains?.value == ["automated privacy assistant", "not a person"])
    #expect(first.expectations.events?.line == 8)
    #expect(first.expectations.state?.line == 9)
    guard case .open("guest", let plain) = transcript.steps[1].action else {
      Issue.record("not an open step: \(transcript.steps[1].action)")
      return
    }
    #expect(plain == SessionOptions())
    #expect(transcript.steps[1].expectations.isEmpty)
    #expect(transcript.steps[2].session == "guest")

    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try write(Self.openWithOptions, "open.yaml", in: folder)
    let outcome = replay([path])
    #expect(outcome.failed == 0, "\(ReplayReport.text(outcome, updating: false))")

    // The opening expectations are checked: a wrong one fails at its line, on the open step.
    let broken = Self.openWithOptions.replacingOccurrences(of: "intent: opening", with: "intent: greeting")
      .replacingOccurrences(of: "events: [{type: disclosure}]", with: "events: [{type: decision}]")
    let brokenPath = try write(broken, "broken.yaml", in: folder)
    let failed = replay([brokenPath])
    let failures = try #require(failed.results.first?.failures)
    #expect(failures.map(\.line) == [6, 8])
    #expect(failures.map(\.key) == ["intent", "events"])
    #expect(failures.allSatisfy { $0.step == "step 1 (open: parent)" })
  }

  @Test(arguments: [
    ("  - user: hi\n    in: parent\n    intent: greeting\n", 4, "no session named 'parent' is open at this step"),
    ("  - call: chat.explain\n    in: nobody\n    result: {}\n", 4, "no session named 'nobody' is open at this step"),
    ("  - user: hi\n    intent: greeting\n    in: later\n  - open: later\n", 5, "no session named 'later' is open"),
    ("  - open: parent\n  - user: hi\n    in: parnet\n    intent: greeting\n", 5, "no session named 'parnet'"),
    ("  - open: parent\n  - open: {name: parent}\n", 4, "a session named 'parent' is already open"),
    ("  - open: main\n", 3, "'main' is the session that 'session:' opens"),
    ("  - open: {country: ZA}\n", 3, "'open' needs a name"),
    ("  - open: {name: p, colour: red}\n", 3, "unknown key 'colour' in open"),
    ("  - open: p\n    colour: red\n", 4, "unknown key 'colour' in an open step"),
    ("  - open: p\n  - advance: 1d\n    in: p\n", 5, "unknown key 'in' in an advance step"),
    ("  - open: [p]\n", 3, "'open' must be a session name"),
  ])
  func anUnknownSessionOrABadOpenIsALoadErrorWithItsLine(steps: String, line: Int, reason: String) throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try write("name: x\nsteps:\n" + steps, "bad.yaml", in: folder)
    let outcome = replay([path])
    #expect(outcome.results.isEmpty)
    let error = try #require(outcome.errors.first)
    #expect(outcome.errors.count == 1)
    #expect(error.file == path)
    #expect(error.line == line, "\(error)")
    #expect(error.reason.contains(reason), "\(error)")
  }

  @Test func updateRewritesExpectationsOfStepsInASecondSession() throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let broken = Self.twoSessions
      .replacingOccurrences(of: "  - open: parent\n", with: "  - open: parent\n    intent: hello\n")
      .replacingOccurrences(of: "    intent: policy.sharing\n", with: "    intent: policy.cookies\n")
      .replacingOccurrences(of: "state: {topic: sharing}", with: "state: {topic: rights}")
    let path = try write(broken, "update.yaml", in: folder)
    let before = broken.split(separator: "\n", omittingEmptySubsequences: false)

    let first = replay([path])
    #expect(first.failed == 1)
    #expect(first.results.first?.failures.map(\.line) == [10, 13, 14])

    let updated = replay([path], update: true)
    #expect(updated.updated == [path])
    let rewritten = try String(contentsOfFile: path, encoding: .utf8)
    let after = rewritten.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(before.count == after.count)
    let changed = zip(before, after).enumerated().filter { $0.element.0 != $0.element.1 }.map { $0.offset + 1 }
    #expect(changed == [10, 13, 14])
    #expect(after[9] == "    intent: opening")
    #expect(after[12] == "    intent: policy.sharing")
    #expect(after[13] == "    state: {topic: sharing}")
    let again = replay([path])
    #expect(again.failed == 0, "\(ReplayReport.text(again, updating: false))")
  }
}
