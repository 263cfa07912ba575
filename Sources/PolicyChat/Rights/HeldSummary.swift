import Foundation

/// What PolicyChat holds about a subject, in words: the access right's summary, and what
/// an erasure will delete, shown before the person confirms it.
enum HeldSummary {
  /// The `summary` placeholder: one line per kind of record.
  static func values(_ export: SubjectExport?, consentCatalog: ConsentCatalog) -> [String: String] {
    guard let export else { return ["summary": ""] }
    let turns = export.sessions.reduce(0) { $0 + $1.turns.count }
    let lines = export.sessions.reduce(0) { $0 + $1.transcript.count }
    let consents = export.sessions.flatMap(\.consents)
    var parts = [
      "your e-mail address (\(GateAnswers.masked(export.subject.email ?? "")))",
      "\(count(export.sessions.count, "conversation")) with \(count(turns, "turn record")) (times and topics, never what you typed)",
    ]
    if lines > 0 { parts.append("\(count(lines, "kept message")) of conversations, redacted") }
    if !consents.isEmpty {
      let given = Set(consents.filter(\.granted).map(\.purpose)).sorted().map {
        consentCatalog.purpose($0)?.title.lowercased() ?? $0
      }
      parts.append(
        count(consents.count, "consent record")
          + (given.isEmpty ? "" : " (given at some point: \(given.joined(separator: ", ")))"))
    }
    if !export.requests.isEmpty { parts.append(count(export.requests.count, "earlier request")) }
    if export.subject.restricted { parts.append("a restriction of processing, in force") }
    return ["summary": parts.map { "- " + $0 }.joined(separator: "\n")]
  }

  /// "1 conversation", "3 conversations".
  static func count(_ number: Int, _ noun: String) -> String {
    "\(number) \(noun)\(number == 1 ? "" : "s")"
  }
}
