/// A command typed in the chat, starting with a slash.
public struct SlashCommand: Sendable, Equatable {
  public let name: String
  public let summary: String

  /// Every slash command, for `/help` and for front ends' completion. `/quit` is carried
  /// out by the front end (it ends the program); the others by the engine.
  public static let all = [
    SlashCommand(name: "/help", summary: "what the assistant can do"),
    SlashCommand(name: "/why", summary: "how the last answer was chosen"),
    SlashCommand(name: "/quit", summary: "end the conversation"),
  ]
}
