import ArgumentParser

@main
struct PolicyChatCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policychat",
    abstract: "An automated assistant that answers questions about a privacy policy.",
    subcommands: [ChatCommand.self],
    defaultSubcommand: ChatCommand.self
  )
}
