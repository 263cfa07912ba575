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

  @Option(help: "Record the conversation as a transcript FILE (YAML), replayable with `policychat replay`.")
  var record: String?

  func run() throws {
    let chat = try ChatLoop(options: options, recordTo: record)
    // Both ends must be a terminal: `policychat > answers.txt` must not fill a file with
    // prompts and escape codes.
    if isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 {
      try ReadlineChat(loop: chat).run()
    } else {
      try LineChat(loop: chat).run()
    }
  }
}
