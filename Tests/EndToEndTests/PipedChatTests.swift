import Foundation
import Testing

/// `policychat` with its input from a pipe, as scripts and other programs use it.
@Suite("Piped chat")
struct PipedChatTests {
  static let policyQuestion = "Do you sell personal information?"

  @Test("The first line discloses that the assistant is automated")
  func firstLineDisclosesAutomation() async throws {
    let transcript = try await PipedChat.run(lines: [])
    #expect(transcript.lines.first?.contains("automated") == true, "first line: \(transcript.lines.first ?? "")")
    #expect(transcript.termination == .exit(0), "stderr: \(transcript.errorOutput)")
  }

  @Test("A policy question gets an answer that names its source")
  func policyQuestionIsAnsweredWithSource() async throws {
    let transcript = try await PipedChat.run(lines: [Self.policyQuestion])
    #expect(transcript.output.contains("does not sell"), "output:\n\(transcript.output)")
    #expect(transcript.lines.contains { $0.hasPrefix("From:") }, "output:\n\(transcript.output)")
    #expect(transcript.termination == .exit(0), "stderr: \(transcript.errorOutput)")
  }

  @Test("Every answer is followed by one blank line")
  func answersAreSeparatedByBlankLines() async throws {
    let transcript = try await PipedChat.run(lines: ["hello", Self.policyQuestion])
    let lines = transcript.lines
    let answer = try #require(lines.firstIndex { $0.contains("does not sell") }, "output:\n\(transcript.output)")
    let source = try #require(lines[answer...].firstIndex { $0.hasPrefix("From:") }, "output:\n\(transcript.output)")
    #expect(answer >= 2 && lines[answer - 1].isEmpty && !lines[answer - 2].isEmpty, "output:\n\(transcript.output)")
    #expect(lines[source + 1].isEmpty, "output:\n\(transcript.output)")
    #expect(transcript.output.hasSuffix("\n\n") && !transcript.output.hasSuffix("\n\n\n"))
    #expect(transcript.termination == .exit(0), "stderr: \(transcript.errorOutput)")
  }

  @Test("Piped output has no prompt and no escape codes, even for a capable TERM")
  func outputIsPlainText() async throws {
    let input = Array(["hello", Self.policyQuestion, "/help", "/why"].map { $0 + "\n" }.joined().utf8)
    let transcript = try await PipedChat.run(input, environment: ["TERM": "xterm-256color"])
    #expect(!transcript.output.contains("\u{1B}"), "output:\n\(transcript.output)")
    #expect(!transcript.output.contains("you>"), "output:\n\(transcript.output)")
    #expect(transcript.termination == .exit(0), "stderr: \(transcript.errorOutput)")
  }

  @Test("/quit ends the chat without waiting for the end of the input")
  func quitStopsReading() async throws {
    let transcript = try await PipedChat.run(
      lines: ["/quit", Self.policyQuestion], closingInput: false)
    #expect(!transcript.output.contains("does not sell"), "output:\n\(transcript.output)")
    #expect(transcript.termination == .exit(0), "stderr: \(transcript.errorOutput)")
  }

  @Test("A line of invalid UTF-8 does not stop the chat")
  func invalidUTF8IsSurvived() async throws {
    let invalid: [UInt8] = Array("caf".utf8) + [0xC3, 0x28, 0xFF, 0xFE, 0x80, 0x0A]
    let transcript = try await PipedChat.run(invalid + Array("\(Self.policyQuestion)\n".utf8))
    #expect(transcript.output.contains("does not sell"), "output:\n\(transcript.output)")
    #expect(transcript.termination == .exit(0), "stderr: \(transcript.errorOutput)")
  }

  @Test("A missing data folder ends with status 2 and names what is missing")
  func missingHomeIsAClearError() async throws {
    let transcript = try await PipedChat.run(
      Array("hello\n".utf8), arguments: ["--db", ":memory:", "--home", "/nonexistent-policychat-home"])
    #expect(transcript.termination == .exit(2))
    #expect(transcript.output.isEmpty, "output:\n\(transcript.output)")
    #expect(transcript.errorOutput == "policychat: knowledge/policy.yaml: file not found or unreadable\n")
  }

  @Test("A database file is created at --db and keeps no message text")
  func databaseFileKeepsNoMessageText() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-e2e-db-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("chat.sqlite").path
    let secret = "my phone is 0821234567"
    let transcript = try await PipedChat.run(
      Array("\(secret)\n\(Self.policyQuestion)\n".utf8),
      arguments: ["--db", path, "--home", PolicyChatBinary.repositoryRoot.path])
    #expect(transcript.termination == .exit(0), "stderr: \(transcript.errorOutput)")
    let stored = try #require(FileManager.default.contents(atPath: path))
    #expect(stored.count > 0)
    #expect(!String(decoding: stored, as: UTF8.self).contains("0821234567"))
    #expect(!transcript.errorOutput.contains("0821234567"))
  }
}

/// Recording a conversation with the binary, and replaying the recording with the binary.
@Suite("Recording and replay")
struct RecordingTests {
  private func replay(_ path: String) async throws -> PipedTranscript {
    try await PipedChat.run(
      [], arguments: ["replay", "--home", PolicyChatBinary.repositoryRoot.path, path])
  }

  @Test("A chat recorded with --record replays green twice in a row")
  func recordedChatReplays() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-rec-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("recorded.yaml").path
    let messages = ["hello", "How long do you keep my data?", "and where is it stored?", "policy", "2", "/why"]
    let chat = try await PipedChat.run(
      Array(messages.map { $0 + "\n" }.joined().utf8),
      arguments: ["--db", ":memory:", "--home", PolicyChatBinary.repositoryRoot.path, "--record", path])
    #expect(chat.termination == .exit(0), "stderr: \(chat.errorOutput)")
    let recorded = try String(contentsOfFile: path, encoding: .utf8)
    #expect(recorded.contains("seed: "))
    #expect(
      recorded.contains("user: and where is it stored?") || recorded.contains("user: \"and where is it stored?\""))
    for _ in 0..<2 {
      let run = try await replay(path)
      #expect(run.termination == .exit(0), "\(run.output)")
      #expect(run.output.hasSuffix("1 passed, 0 failed\n"), "\(run.output)")
    }
  }

  @Test("A broken transcript fails the replay with its file and line, and exit status 1")
  func brokenTranscriptFails() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-rec-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("broken.yaml").path
    try "name: broken\nsteps:\n  - user: hello\n    intent: goodbye\n".write(
      toFile: path, atomically: true, encoding: .utf8)
    let run = try await replay(path)
    #expect(run.termination == .exit(1))
    #expect(run.output.contains("\(path):4: step 1 (user: \"hello\"): intent"), "\(run.output)")
    #expect(run.output.hasSuffix("0 passed, 1 failed\n"), "\(run.output)")
  }
}

/// The age screen and a parent's code from the terminal, as a developer tries them.
@Suite("Age screen in the terminal")
struct TerminalAgeScreenTests {
  private static let childLines = ["please delete my data", "14 March 2011", "my mum is mum@example.com"]

  private func run(extra: [String]) async throws -> PipedTranscript {
    try await PipedChat.run(
      Array(Self.childLines.map { $0 + "\n" }.joined().utf8),
      arguments: PolicyChatBinary.chatArguments + ["--country", "ZA", "--device-id", "kid-tablet"] + extra)
  }

  @Test("Where the host would send the code is shown; the code itself only with --dev")
  func theCodeIsShownOnlyInDevelopmentMode() async throws {
    let plain = try await run(extra: [])
    #expect(plain.output.contains("needs") || plain.output.contains("has to wait"), "output:\n\(plain.output)")
    #expect(plain.output.contains("[host] A message with a one-time code"), "output:\n\(plain.output)")
    #expect(!plain.output.contains("The code is"), "output:\n\(plain.output)")
    #expect(plain.output.contains("/why"), "the decision points at /why:\n\(plain.output)")

    let development = try await run(extra: ["--dev"])
    let line = try #require(development.lines.first { $0.contains("[development mode] The code is") })
    #expect(line.filter(\.isNumber).count == 6)
    #expect(development.termination == .exit(0), "stderr: \(development.errorOutput)")
    #expect(!development.errorOutput.contains("mum@example.com"), "stderr holds personal data")
  }
}
