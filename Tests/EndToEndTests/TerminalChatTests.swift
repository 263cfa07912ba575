import Foundation
import Testing

/// The readline REPL in a real terminal (tmux), as a person uses it.
@Suite("Terminal chat")
struct TerminalChatTests {
  static let policyQuestion = "Do you sell personal information?"

  @Test("The disclosure is shown once, before the first prompt")
  func disclosureComesFirst() async throws {
    let chat = try TerminalChat.start()
    defer { chat.stop() }
    let screen = try await chat.waitForScreen("the first prompt") { $0.isAtEmptyPrompt }
    let disclosure = try #require(screen.lines.first { !$0.isEmpty }, "screen:\n\(screen)")
    #expect(disclosure.contains("automated"), "screen:\n\(screen)")
    #expect(screen.count(of: disclosure) == 1, "screen:\n\(screen)")
    #expect(screen.promptCount == 1, "screen:\n\(screen)")
  }

  @Test("Tab completes a slash command")
  func tabCompletesSlashCommand() async throws {
    let chat = try TerminalChat.start()
    defer { chat.stop() }
    try await chat.waitForScreen("the first prompt") { $0.isAtEmptyPrompt }
    try chat.type("/he")
    try chat.press("Tab")
    try await chat.waitForScreen("/he completed to /help") { $0.lastLine == "you> /help" }
    try chat.press("Enter")
    try await chat.waitForScreen("the help answer and a new prompt") { $0.promptCount == 2 && $0.isAtEmptyPrompt }
  }

  @Test("Tab completes nothing but a slash command at the start of a line")
  func tabCompletesNothingElse() async throws {
    let chat = try TerminalChat.start()
    defer { chat.stop() }
    try await chat.waitForScreen("the first prompt") { $0.isAtEmptyPrompt }
    // The chat runs in the repository: readline's default would complete Package.swift.
    try chat.type("Pack")
    try chat.press("Tab")
    try chat.type(" say /he")
    try chat.press("Tab")
    try chat.type("!")
    let screen = try await chat.waitForScreen("the typed line") { $0.lastLine.hasSuffix("!") }
    #expect(screen.lastLine == "you> Pack say /he!")
  }

  @Test("A question typed at the prompt gets one answer, then a blank line and a prompt")
  func questionGetsAnswer() async throws {
    let chat = try TerminalChat.start()
    defer { chat.stop() }
    try await chat.waitForScreen("the first prompt") { $0.isAtEmptyPrompt }
    try chat.type(Self.policyQuestion)
    try chat.press("Enter")
    let screen = try await chat.waitForScreen("an answer and a new prompt") {
      $0.promptCount == 2 && $0.isAtEmptyPrompt
    }
    #expect(screen.count(of: "does not sell") == 1, "screen:\n\(screen)")
    #expect(screen.lines.contains { $0.hasPrefix("From:") }, "screen:\n\(screen)")
    #expect(screen.lines.dropLast().last == "", "screen:\n\(screen)")
  }

  @Test("The up arrow recalls earlier lines, each repeated line once")
  func upArrowRecallsHistory() async throws {
    let chat = try TerminalChat.start()
    defer { chat.stop() }
    try await chat.waitForScreen("the first prompt") { $0.isAtEmptyPrompt }
    for (number, line) in [Self.policyQuestion, "hello", "hello"].enumerated() {
      try chat.type(line)
      try chat.press("Enter")
      try await chat.waitForScreen("answer \(number + 1)") { $0.promptCount == number + 2 && $0.isAtEmptyPrompt }
    }
    try chat.press("Up")
    try await chat.waitForScreen("the last line recalled") { $0.lastLine == "you> hello" }
    try chat.press("Up")
    try await chat.waitForScreen("the line before the repeats recalled") {
      $0.lastLine == "you> \(Self.policyQuestion)"
    }
  }

  @Test("Ctrl-C discards the line being typed and the chat goes on")
  func ctrlCDiscardsLine() async throws {
    let chat = try TerminalChat.start()
    defer { chat.stop() }
    try await chat.waitForScreen("the first prompt") { $0.isAtEmptyPrompt }
    try chat.type("my unfinished secret")
    // The terminal drops input not yet read when Ctrl-C comes, so wait until readline has it.
    try await chat.waitForScreen("the typed text") { $0.lastLine == "you> my unfinished secret" }
    try chat.press("C-c")
    try await chat.waitForScreen("a fresh prompt") { $0.promptCount == 2 && $0.isAtEmptyPrompt }
    try chat.type("hello")
    try chat.press("Enter")
    let screen = try await chat.waitForScreen("an answer to hello") { $0.promptCount == 3 && $0.isAtEmptyPrompt }
    let sent = try #require(screen.lines.firstIndex(of: "you> hello"), "screen:\n\(screen)")
    #expect(!screen.lines[sent + 1].isEmpty, "no answer to hello; screen:\n\(screen)")
    try chat.press("Up")
    try await chat.waitForScreen("hello recalled, not the discarded text") { $0.lastLine == "you> hello" }
  }

  @Test("Ctrl-C ends a history search without sending its match")
  func ctrlCEndsHistorySearch() async throws {
    let chat = try TerminalChat.start()
    defer { chat.stop() }
    try await chat.waitForScreen("the first prompt") { $0.isAtEmptyPrompt }
    try chat.type(Self.policyQuestion)
    try chat.press("Enter")
    try await chat.waitForScreen("an answer") { $0.promptCount == 2 && $0.isAtEmptyPrompt }
    try chat.press("C-r")
    try chat.type("sell")
    try await chat.waitForScreen("the search") { $0.lastLine.contains("reverse-i-search") }
    try chat.press("C-c")
    try await chat.waitForScreen("a fresh prompt") { $0.promptCount == 3 && $0.isAtEmptyPrompt }
    try chat.press("C-c")
    try await chat.waitForScreen("another prompt") { $0.promptCount == 4 && $0.isAtEmptyPrompt }
    try chat.press("Enter")
    let screen = try await chat.waitForScreen("a prompt after the empty line") {
      $0.promptCount == 5 && $0.isAtEmptyPrompt
    }
    #expect(screen.count(of: "does not sell") == 1, "screen:\n\(screen)")
  }

  @Test("Ctrl-D ends the chat with exit status 0")
  func ctrlDEndsChat() async throws {
    let chat = try TerminalChat.start()
    defer { chat.stop() }
    try await chat.waitForScreen("the first prompt") { $0.isAtEmptyPrompt }
    try chat.press("C-d")
    #expect(try await chat.waitForExit() == "EXIT=0")
  }

  @Test("/quit ends the chat with exit status 0")
  func quitEndsChat() async throws {
    let chat = try TerminalChat.start()
    defer { chat.stop() }
    try await chat.waitForScreen("the first prompt") { $0.isAtEmptyPrompt }
    try chat.type("/quit")
    try chat.press("Enter")
    #expect(try await chat.waitForExit() == "EXIT=0")
  }
}

/// The terminal's history file exists only with `session_logging` consent, redacted.
@Suite("Terminal history with consent")
struct TerminalHistoryTests {
  private func folder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "policychat-history-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// `extra`: more arguments, e.g. `--dev` to show the one-time codes a host would deliver.
  private func chat(in folder: URL, _ extra: [String] = []) throws -> TerminalChat {
    try TerminalChat.start(
      arguments: [
        "--db", folder.appendingPathComponent("db.sqlite").path, "--home", PolicyChatBinary.repositoryRoot.path,
        "--country", "ZA", "--device-id", "laptop-1",
      ] + extra,
      environment: ["POLICYCHAT_HISTORY": folder.appendingPathComponent("history").path])
  }

  private func say(_ chat: TerminalChat, _ line: String, prompts: Int) async throws {
    try chat.type(line)
    try chat.press("Enter")
    try await chat.waitForScreen("the answer to '\(line)'") { $0.promptCount >= prompts && $0.isAtEmptyPrompt }
  }

  @Test("Without consent nothing is written; with it, lines are kept redacted and come back")
  func historyNeedsConsent() async throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let history = folder.appendingPathComponent("history").path
    do {
      let chat = try chat(in: folder)
      defer { chat.stop() }
      try await chat.waitForScreen("the first prompt") { $0.isAtEmptyPrompt }
      try await say(chat, "my phone is 082 555 1234", prompts: 2)
      #expect(!FileManager.default.fileExists(atPath: history), "history written without consent")
      try await say(chat, "you can keep my chats", prompts: 3)
      try await say(chat, "14 March 1990", prompts: 4)
      try await say(chat, "my number is 082 555 1234, what do you keep?", prompts: 5)
      try chat.type("/quit")
      try chat.press("Enter")
      _ = try await chat.waitForExit()
    }
    let kept = try String(contentsOfFile: history, encoding: .utf8)
    #expect(kept == "my number is [phone], what do you keep?\n", "history file:\n\(kept)")

    // The same device's next session still has the consent: Up recalls the kept line.
    let again = try chat(in: folder)
    defer { again.stop() }
    try await again.waitForScreen("the first prompt") { $0.isAtEmptyPrompt }
    try again.press("Up")
    try await again.waitForScreen("the kept line recalled") { $0.lastLine.hasSuffix("what do you keep?") }
    try again.press("C-u")
    try await say(again, "stop logging my chats", prompts: 2)
    try await say(again, "yes", prompts: 3)
    #expect(!FileManager.default.fileExists(atPath: history), "history kept after the person had it deleted")
  }

  /// Says a line and waits for its answer by what the screen shows rather than by counting
  /// prompts, which scroll away in a long conversation.
  private func answered(_ chat: TerminalChat, _ line: String) async throws -> Screen {
    try chat.type(line)
    try chat.press("Enter")
    return try await chat.waitForScreen("the answer to '\(line)'") { screen in
      guard screen.isAtEmptyPrompt, let sent = screen.lines.lastIndex(of: "you> \(line)") else { return false }
      return sent < screen.lines.count - 2
    }
  }

  @Test("A one-time code typed at the prompt never reaches the history file, even with logging consent")
  func codeNeverInHistory() async throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let history = folder.appendingPathComponent("history").path
    let chat = try chat(in: folder, ["--dev"])
    defer { chat.stop() }
    try await chat.waitForScreen("the first prompt") { $0.isAtEmptyPrompt }
    _ = try await answered(chat, "you can keep my chats")
    _ = try await answered(chat, "14 March 1990")
    _ = try await answered(chat, "send me a copy of my data")
    let sent = try await answered(chat, "thandi@example.org")
    let shown = try #require(sent.lines.last { $0.contains("The code is ") }, "screen:\n\(sent)")
    let code = String(shown.filter(\.isNumber))
    #expect(code.count >= 4, "no code in: \(shown)")
    _ = try await answered(chat, code)
    _ = try await answered(chat, "how long do you keep my data?")
    try chat.type("/quit")
    try chat.press("Enter")
    _ = try await chat.waitForExit()

    let kept = try String(contentsOfFile: history, encoding: .utf8)
    #expect(!kept.contains(code), "the code reached the history file:\n\(kept)")
    #expect(
      kept == "send me a copy of my data\n[email]\nhow long do you keep my data?\n", "history file:\n\(kept)")
  }
}
