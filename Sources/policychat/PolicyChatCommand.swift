import ArgumentParser

@main
struct PolicyChatCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policychat",
    abstract: "An automated assistant that answers questions about a privacy policy.",
    version: PolicyChatVersion.current,
    subcommands: [ChatCommand.self, ServeCommand.self],
    defaultSubcommand: ChatCommand.self
  )
}
