import ArgumentParser
import PolicyChat

@main
struct PolicyChatCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policychat",
    abstract: "An automated assistant that answers questions about a privacy policy.",
    version: Engine.version,
    subcommands: [ChatCommand.self, ServeCommand.self, ReplayCommand.self, AdminCommand.self, ImportCommand.self],
    defaultSubcommand: ChatCommand.self
  )
}
