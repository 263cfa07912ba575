import ArgumentParser
import Foundation
import PolicyChat

/// `policychat admin requests ...`: the privacy officer's queue of rights requests.
struct RequestsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "requests",
    abstract: "The queue of rights requests: list, show, extend, complete, reject, lift, export, audit.",
    discussion: "Overdue requests are listed first, marked OVERDUE. Every action is appended to the audit log.",
    subcommands: [
      ListRequests.self, ShowRequest.self, ExtendRequest.self, CompleteRequest.self, RejectRequest.self,
      LiftRestriction.self, ExportSubject.self, AuditLog.self,
    ],
    defaultSubcommand: ListRequests.self
  )
}

/// Who acts: `--officer`, else the login name.
struct OfficerOption: ParsableArguments {
  @Option(help: "Who is acting, for the audit log (default: $USER).")
  var officer: String?

  var name: String {
    officer ?? ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "privacy officer"
  }
}

/// Runs an engine call, turning its error into a message and exit status 2.
func adminCall<T>(_ body: () throws(EngineError) -> T) throws -> T {
  do {
    return try body()
  } catch {
    StandardError.write("policychat: \(error.description)")
    throw ExitCode(2)
  }
}

extension Engine {
  /// Tells the officer on stdout what the engine replaced in their text before storing it
  /// (the kinds, never the values).
  func tellOfficer(_ text: String, field: String) {
    if let notice = try? officerText(text, field: field).notice { print(notice) }
  }
}

enum RequestListing {
  /// One line per request, in the engine's order, marked as the engine judged it.
  static func lines(_ queue: [QueuedRequest]) -> [String] {
    queue.map { entry in
      let request = entry.record
      let mark = entry.daysOverdue.map { "OVERDUE by \($0)d  " } ?? ""
      return [
        mark + request.reference, request.type, request.status, "received " + UTCDate.day(request.receivedAt),
        "due " + UTCDate.day(entry.due) + (entry.isExtended ? " (extended)" : ""), request.regime,
      ].joined(separator: "  ")
    }
  }
}

struct ListRequests: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List requests, overdue first.")
  @OptionGroup var options: GlobalOptions
  @Flag(help: "Only open requests.") var open = false
  @Flag(help: "Only open requests past their due date.") var overdue = false
  @Option(help: "Only open requests due within N days.") var dueWithin: Int?
  @Option(help: "Only requests of this type (access, erasure, ...).") var type: String?

  func run() throws {
    let engine = try options.makeEngine()
    defer { engine.shutDown() }
    let selection = QueueSelection(openOnly: open, overdueOnly: overdue, dueWithinDays: dueWithin, type: type)
    let queue = try adminCall { () throws(EngineError) in try engine.requestQueue(selection) }
    if queue.isEmpty { print("No requests.") }
    for line in RequestListing.lines(queue) { print(line) }
  }
}

struct ShowRequest: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a request and its audit trail.")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "The reference (RQ-...).") var reference: String

  func run() throws {
    let engine = try options.makeEngine()
    defer { engine.shutDown() }
    guard let entry = try adminCall({ () throws(EngineError) in try engine.queuedRequest(reference) }) else {
      StandardError.write("policychat: no request \(reference.uppercased())")
      throw ExitCode(2)
    }
    let request = entry.record
    for line in RequestListing.lines([entry]) { print(line) }
    if let details = request.details { print("details: \(details)") }
    if let reason = request.extensionReason { print("extension: \(reason)") }
    if let outcome = request.outcome { print("outcome: \(outcome)") }
    print("subject: \(request.subjectId)")
    for entry in try adminCall({ () throws(EngineError) in try engine.auditLog(reference: reference) }) {
      print("  \(UTCDate.iso8601(entry.at))  \(entry.actor)  \(entry.action)  \(entry.detail)")
    }
  }
}

struct ExtendRequest: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "extend", abstract: "Extend a request once, within its first period, with reasons.")
  @OptionGroup var options: GlobalOptions
  @OptionGroup var officer: OfficerOption
  @Argument(help: "The reference (RQ-...).") var reference: String
  @Option(help: "Why: the person is told.") var reason: String

  func run() throws {
    let engine = try options.makeEngine()
    defer { engine.shutDown() }
    let request = try adminCall { () throws(EngineError) in
      try engine.extendRequest(reference, reason: reason, by: officer.name)
    }
    print("Extended \(request.reference) to \(UTCDate.day(request.extendedAt ?? request.dueAt)).")
    engine.tellOfficer(reason, field: "reason")
  }
}

struct CompleteRequest: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "complete", abstract: "Mark a request completed.")
  @OptionGroup var options: GlobalOptions
  @OptionGroup var officer: OfficerOption
  @Argument(help: "The reference (RQ-...).") var reference: String
  @Option(help: "What was done.") var note: String?

  func run() throws {
    let engine = try options.makeEngine()
    defer { engine.shutDown() }
    let request = try adminCall { () throws(EngineError) in
      try engine.completeRequest(reference, note: note, by: officer.name)
    }
    print("Completed \(request.reference).")
    if let note { engine.tellOfficer(note, field: "note") }
  }
}

struct RejectRequest: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reject", abstract: "Reject a request with reasons; the person is told, with the complaint route.")
  @OptionGroup var options: GlobalOptions
  @OptionGroup var officer: OfficerOption
  @Argument(help: "The reference (RQ-...).") var reference: String
  @Option(help: "Why: the person is told.") var reason: String

  func run() throws {
    let engine = try options.makeEngine()
    defer { engine.shutDown() }
    let request = try adminCall { () throws(EngineError) in
      try engine.rejectRequest(reference, reason: reason, by: officer.name)
    }
    print("Rejected \(request.reference); the person is told at their next session or status lookup.")
    engine.tellOfficer(reason, field: "reason")
  }
}

struct LiftRestriction: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lift", abstract: "Lift the restriction a restriction request put in force.")
  @OptionGroup var options: GlobalOptions
  @OptionGroup var officer: OfficerOption
  @Argument(help: "The reference of the restriction request (RQ-...).") var reference: String

  func run() throws {
    let engine = try options.makeEngine()
    defer { engine.shutDown() }
    let request = try adminCall { () throws(EngineError) in try engine.liftRestriction(reference, by: officer.name) }
    print("Lifted the restriction of \(request.reference).")
  }
}

struct ExportSubject: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export", abstract: "Everything held about a subject (ds-... or e-mail address), as JSON.")
  @OptionGroup var options: GlobalOptions
  @OptionGroup var officer: OfficerOption
  @Argument(help: "The subject's id (ds-...) or e-mail address.") var subject: String

  func run() throws {
    let engine = try options.makeEngine()
    defer { engine.shutDown() }
    guard let export = try adminCall({ () throws(EngineError) in try engine.exportSubject(subject, by: officer.name) })
    else {
      StandardError.write("policychat: no such subject")
      throw ExitCode(2)
    }
    print(export.json)
  }
}

struct AuditLog: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "audit", abstract: "The audit log, or one request's.")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "A reference (RQ-...), or nothing for the whole log.") var reference: String?

  func run() throws {
    let engine = try options.makeEngine()
    defer { engine.shutDown() }
    for entry in try adminCall({ () throws(EngineError) in try engine.auditLog(reference: reference) }) {
      print(
        "\(UTCDate.iso8601(entry.at))  \(entry.actor)  \(entry.action)  \(entry.reference ?? "-")  \(entry.detail)"
      )
    }
  }
}
