import ArgumentParser
import Foundation
import PolicyChat

/// `policychat` / `policychat chat`: a conversation in the terminal.
struct ChatCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "chat",
    abstract: "Chat with the assistant (the default command).",
    discussion: """
      In a terminal: a readline prompt with history, line editing and tab completion of \
      slash commands. With input from a pipe or file: one message per line, each answer \
      followed by a blank line, no prompt.
      """
  )

  @OptionGroup var options: GlobalOptions

  func run() throws {
    let engine = try options.makeEngine()
    let chat = ChatLoop(engine: engine)
    // Both ends must be a terminal: `policychat > answers.txt` must not fill a file with
    // prompts and escape codes.
    if isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 {
      try ReadlineChat(loop: chat).run()
    } else {
      try LineChat(loop: chat).run()
    }
  }
}

/// The part of a chat both front ends share: a session, and what to do with a line.
struct ChatLoop {
  let engine: Engine

  enum Outcome {
    case reply(String)
    case quit
  }

  func open() throws -> (sessionId: String, text: String) {
    let turn = try engine.openSession()
    return (turn.sessionId, TurnRenderer.render(turn))
  }

  func handle(_ line: String, sessionId: String) throws -> Outcome? {
    let message = line.trimmingCharacters(in: .whitespaces)
    if message.isEmpty { return nil }
    if message.split(separator: " ").first?.lowercased() == "/quit" { return .quit }
    return .reply(TurnRenderer.render(try engine.send(message, to: sessionId)))
  }

  func close(_ sessionId: String) {
    try? engine.closeSession(sessionId)
  }
}
