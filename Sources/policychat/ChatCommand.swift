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

  @Option(help: "The country the person is in (ISO 3166-1 alpha-2), as a host would pass it.")
  var country: String?

  @Option(help: "A device id, as a host would pass it; only a keyed hash is ever stored.")
  var deviceId: String?

  @Flag(help: "Development mode: also show the one-time codes that the host application would deliver.")
  var dev = false

  func run() throws {
    let session = SessionOptions(country: country, deviceId: deviceId)
    let chat = try ChatLoop(options: options, recordTo: record, session: session, developmentMode: dev)
    // Both ends must be a terminal: `policychat > answers.txt` must not fill a file with
    // prompts and escape codes.
    if isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 {
      try ReadlineChat(loop: chat).run()
    } else {
      try LineChat(loop: chat).run()
    }
  }
}
