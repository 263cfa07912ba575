import ArgumentParser
import Foundation
import PolicyChat

/// `policychat admin ...`: the privacy officer's tools over the database.
struct AdminCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "admin",
    abstract: "The privacy officer's tools: the request queue, retention purge, exports and data keys.",
    subcommands: [PurgeCommand.self, ExportCommand.self, RequestsCommand.self, RekeyCommand.self, NewKeyCommand.self]
  )
}

/// `policychat admin purge [--dry-run]`: deletes every record past its retention period.
struct PurgeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "purge",
    abstract: "Delete what is past its retention period (knowledge/consent.yaml, knowledge/age-gate.yaml).",
    discussion: """
      Prints how many records of each kind were deleted. Running it again deletes nothing \
      more until further records pass their period. Consents still in force are never \
      deleted. Each run that deletes anything is noted in the deletion log.
      """
  )

  @OptionGroup var options: GlobalOptions

  @Flag(help: "Count what would be deleted, and delete nothing.")
  var dryRun = false

  func run() throws {
    let engine = try options.makeEngine()
    defer { engine.shutDown() }
    let counts: [String: Int]
    do {
      counts = try engine.purge(dryRun: dryRun)
    } catch {
      StandardError.write("policychat: \(error.description)")
      throw ExitCode(2)
    }
    let total = counts.values.reduce(0, +)
    print(dryRun ? "Would delete \(total) records:" : "Deleted \(total) records:")
    for (name, count) in counts.sorted(by: { $0.key < $1.key }) {
      print("  \(name): \(count)")
    }
  }
}

/// `policychat admin export SESSION`: everything stored about a session, as JSON.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Print everything stored about a session as JSON: turns, kept chat text, consents, decisions."
  )

  @OptionGroup var options: GlobalOptions

  @Argument(help: "The session id (s-...).")
  var session: String

  func run() throws {
    let engine = try options.makeEngine()
    defer { engine.shutDown() }
    let export: SessionExport
    do {
      export = try engine.export(sessionId: session)
    } catch {
      StandardError.write("policychat: \(error.description)")
      throw ExitCode(2)
    }
    // A mistyped id must not look like a session that left nothing behind. (A session
    // whose person was erased has nothing left either: the request's audit trail says so.)
    if export.openedAt == nil, export.turns.isEmpty, export.transcript.isEmpty, export.consents.isEmpty,
      export.decisions.isEmpty
    {
      StandardError.write("policychat: no session \(session) in the database (or nothing of it is left)")
      throw ExitCode(2)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(export), as: UTF8.self))
  }
}
