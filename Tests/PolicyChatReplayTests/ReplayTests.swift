import Foundation
import PolicyChat
import PolicyChatReplay
import Testing

/// The replay runner in process, on the repository's transcripts and on files written here.
@Suite struct ReplayTests: ScratchTranscripts {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  @Test func everyTranscriptInTheRepositoryReplaysGreen() {
    let (files, missing) = Replay.files(in: [Self.root.appendingPathComponent("transcripts").path])
    #expect(missing.isEmpty)
    let outcome = replay(files)
    let report = ReplayReport.text(outcome, updating: false)
    #expect(outcome.failed == 0, "\(report)")
    #expect(outcome.passed == files.count)
    #expect(files.count >= 30, "transcripts/ should cover every capability")
    print(report.split(separator: "\n").suffix(2).joined(separator: "\n"))
  }

  static let passing = """
    name: sell
    now: 2026-11-29T09:00:00Z
    seed: 5
    steps:
      - user: Do you sell personal information?
        intent: policy.sharing
        bot_contains: does not sell
        sources: [sharing]
    """

  @Test func aBrokenExpectationShowsFileLineAndDiffAndUpdateRewritesOnlyIt() throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let broken = Self.passing.replacingOccurrences(of: "intent: policy.sharing", with: "intent: policy.cookies")
      .replacingOccurrences(of: "bot_contains: does not sell", with: "bot_contains: we sell everything")
    let path = try write(broken, "sell.yaml", in: folder)

    let first = replay([path])
    #expect(first.failed == 1)
    let report = ReplayReport.text(first, updating: false)
    #expect(report.contains("\(path):6: step 1 (user: \"Do you sell personal information?\"): intent"))
    #expect(report.contains("expected policy.cookies"))
    #expect(report.contains("\(path):7: step 1"))
    #expect(report.hasSuffix("0 passed, 1 failed"))

    let updated = replay([path], update: true)
    #expect(updated.updated == [path])
    let rewritten = try String(contentsOfFile: path, encoding: .utf8)
    let before = broken.split(separator: "\n", omittingEmptySubsequences: false)
    let after = rewritten.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(before.count == after.count)
    let changed = zip(before, after).enumerated().filter { $0.element.0 != $0.element.1 }.map { $0.offset + 1 }
    #expect(changed == [6, 7])
    #expect(after[5] == "    intent: policy.sharing")
    #expect(replay([path]).failed == 0)
  }

  @Test func aFailingExactTextShowsAUnifiedDiff() throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let text = """
      name: hello
      steps:
        - user: hello
          bot: |-
            Hello there!
            Second line.
      """
    let path = try write(text, "hello.yaml", in: folder)
    let report = ReplayReport.text(replay([path]), updating: false)
    #expect(report.contains("--- expected"))
    #expect(report.contains("- Hello there!"))
    #expect(report.contains("+ Hello! Ask me anything"))
    _ = replay([path], update: true)
    #expect(replay([path]).failed == 0)
  }

  @Test(arguments: [
    ("name: x\nsteps: [\n", 3, "broken YAML"),
    ("name: x\nsteps:\n  - user: hi\n    intnet: greeting\n", 4, "unknown key 'intnet'"),
    ("name: x\nsteps:\n  - user: hi\n", 3, "the step has nothing to check"),
    ("steps:\n  - user: hi\n    intent: greeting\n", 1, "missing 'name'"),
    ("name: x\ncolour: blue\nsteps: []\n", 2, "unknown key 'colour'"),
    ("name: x\nsteps:\n  - advance: soon\n", 3, "'advance' must be a duration"),
    ("name: x\nsteps:\n  - user: hi\n    bot_matches: '(unclosed'\n", 4, "not a valid regular expression"),
    ("name: x\nsteps:\n  - shout: hi\n", 3, "a step needs one of: user, call, advance"),
    ("name: x\nnow: yesterday\nsteps: []\n", 2, "'now' must be an ISO 8601 time"),
    ("name: x\nsteps: hello\n", 2, "'steps' must be a list"),
  ])
  func aMalformedTranscriptIsOneClearErrorWithFileAndLine(text: String, line: Int, reason: String) throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try write(text, "bad.yaml", in: folder)
    let outcome = replay([path])
    #expect(outcome.errors.count == 1)
    #expect(outcome.failed == 1)
    let error = try #require(outcome.errors.first)
    #expect(error.file == path)
    #expect(error.line == line, "\(error)")
    #expect(error.reason.contains(reason), "\(error)")
  }

  @Test func aWireRecordingReplaysByComparingEveryResponse() throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let good = """
      {"meta":{"now":"2026-11-29T09:00:00Z","seed":9}}
      {"in":{"jsonrpc":"2.0","id":1,"method":"chat.send","params":{"sessionId":"nope","text":"hi"}}}
      {"out":{"error":{"code":-32001,"data":{"reason":"unknown_session"},"message":"Unknown or closed session"},"id":1,"jsonrpc":"2.0"}}
      {"in_raw":"not json"}
      {"out":{"error":{"code":-32700,"data":{"reason":"invalid_json"},"message":"Parse error: the line is not valid JSON"},"id":null,"jsonrpc":"2.0"}}
      """
    let path = try write(good, "wire.jsonl", in: folder)
    #expect(replay([path]).failed == 0)
    let changed = try write(good.replacingOccurrences(of: "-32700", with: "-32600"), "changed.jsonl", in: folder)
    let outcome = replay([changed])
    #expect(outcome.failed == 1)
    #expect(ReplayReport.text(outcome, updating: false).contains("\(changed):5: response 2: out"))
  }

  @Test func aJUnitReportHasOneTestCasePerTranscript() throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let good = try write(Self.passing, "good.yaml", in: folder)
    let bad = try write(
      Self.passing.replacingOccurrences(of: "policy.sharing", with: "policy.x"), "bad.yaml", in: folder)
    let xml = ReplayReport.junit(replay([good, bad]))
    #expect(xml.contains(#"<testsuite name="policychat replay" tests="2" failures="1">"#))
    #expect(xml.components(separatedBy: "<testcase ").count == 3)
    #expect(xml.contains("<failure message="))
  }

  @Test func theFilterSelectsByName() throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let one = try write(Self.passing, "one.yaml", in: folder)
    let other = try write(
      Self.passing.replacingOccurrences(of: "name: sell", with: "name: other"), "two.yaml", in: folder)
    let outcome = Replay(options: .init(home: Self.root, filter: "other")).run(files: [one, other])
    #expect(outcome.results.map(\.name) == ["other"])
  }

  @Test func aRecordedConversationReplaysGreenTwice() throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // What the REPL's recorder writes, from a conversation held here with the same engine set-up.
    var recorder = TranscriptRecorder(name: "recorded", now: Date(timeIntervalSince1970: 1_796_000_000), seed: 11)
    let engine = try PolicyChat.Engine(
      configuration: .init(
        home: Self.root, clock: PolicyChat.ManualClock(recorder.now), random: PolicyChat.SeededRandomSource(seed: 11)))
    let session = try engine.openSession().sessionId
    for message in ["hello", "consent", "2", "Is my data encrypted?", "/why"] {
      recorder.add(user: message, turn: try engine.send(message, to: session))
    }
    let path = try write(recorder.yaml, "recorded.yaml", in: folder)
    #expect(replay([path]).failed == 0, "\(ReplayReport.text(replay([path]), updating: false))")
    #expect(replay([path]).failed == 0)
  }
}
