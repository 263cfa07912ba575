import Foundation
import GRDB
import PolicyChat
import Testing

/// 1,000 messages with generated personal data go through the engine with `session_logging`
/// on; every table of the database is then read, and none of the data is found unredacted,
/// while look-alikes (bad Luhn, impossible dates, order numbers) are kept as typed.
@Suite struct LoggingRedactionTests {
  @Test func aThousandLoggedMessagesLeaveNoPersonalDataInAnyTable() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-log-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("policychat.sqlite").path
    let engine = try TestEngine.make(database: .file(path))
    let session = try engine.openSession(SessionOptions(country: "ZA")).sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: session)
    #expect(try engine.send("you can keep my chats", to: session).state.logging == true)

    var generator = PersonalDataGenerator(seed: 2026)
    var planted: [PersonalDataGenerator.Item] = []
    var lookAlikes: [PersonalDataGenerator.Item] = []
    let labels = PersonalDataGenerator.lookAlikeLabels.filter { !$0.hasPrefix("passport") }
    for index in 0..<1_000 {
      let kind = PersonalDataKind.allCases[index % PersonalDataKind.allCases.count]
      let item = generator.personalData(kind)
      let lookAlike = generator.lookAlike(generator.pick(labels))
      planted.append(item)
      lookAlikes.append(lookAlike)
      let text =
        item.sentence.replacingOccurrences(of: "{}", with: item.text) + ". "
        + lookAlike.sentence.replacingOccurrences(of: "{}", with: lookAlike.text) + "."
      _ = try engine.send(text, to: session)
    }

    let queue = try DatabaseQueue(path: path)
    let (everything, kept) = try queue.read { db in
      var values: [String] = []
      for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
        for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"") {
          values.append(row.databaseValues.map(\.description).joined(separator: " | "))
        }
      }
      let kept = try String.fetchAll(db, sql: "SELECT text FROM transcript_line WHERE speaker = 'person'")
      return (values.joined(separator: "\n"), kept.joined(separator: "\n"))
    }
    #expect(kept.split(separator: "\n").count >= 1_000)
    let digitsOnly = everything.filter(\.isNumber)
    var leaks = 0
    for item in planted {
      let digits = item.text.filter(\.isNumber)
      let leaked =
        everything.contains(item.text) || (digits.count >= 9 && digitsOnly.contains(digits) && item.kind != .email)
      if leaked {
        leaks += 1
        Issue.record("\(item.kind?.rawValue ?? "?") '\(item.text)' is stored unredacted")
      }
    }
    var kepts = 0
    for item in lookAlikes where kept.contains(item.text) { kepts += 1 }
    print(
      "logging redaction: \(planted.count - leaks)/\(planted.count) planted values redacted in every table; \(kepts)/\(lookAlikes.count) look-alikes kept as typed"
    )
    #expect(kepts == lookAlikes.count)
  }
}
