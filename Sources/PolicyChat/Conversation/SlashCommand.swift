/// A command typed in the chat, starting with a slash.
public struct SlashCommand: Sendable, Equatable {
  public let name: String
  public let summary: String

  /// Every slash command, for `/help` and for front ends' completion. `/help`, `/why`,
  /// `/age`, `/country`, `/consent` and `/parent` are carried out by the engine; `/quit`, `/record` and `/stop` by the terminal front
  /// end (they end the program or write a file).
  public static let all = [
    SlashCommand(name: "/help", summary: "what the assistant can do"),
    SlashCommand(name: "/why", summary: "how the last answer was chosen"),
    SlashCommand(name: "/age", summary: "the age screen's status; /age DATE answers it"),
    SlashCommand(name: "/country", summary: "the country whose rules apply; /country CODE sets it"),
    SlashCommand(name: "/consent", summary: "your consent choices; /consent on|off PURPOSE, /consent receipt"),
    SlashCommand(name: "/parent", summary: "/parent [review|revoke|delete|consent] PC-REFERENCE: a parent's consent"),
    SlashCommand(name: "/record", summary: "record a new session as transcripts/NAME.yaml (terminal)"),
    SlashCommand(name: "/stop", summary: "stop recording and write the transcript (terminal)"),
    SlashCommand(name: "/quit", summary: "end the conversation"),
  ]
}
