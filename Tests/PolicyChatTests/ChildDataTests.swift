import Foundation
import GRDB
import PolicyChat
import Testing

/// After a child is gated, nothing about the child is anywhere in the database: every
/// table is read directly, as an auditor would.
@Suite struct ChildDataTests {
  private func temporaryDatabase() -> (folder: URL, path: String) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-child-\(UUID().uuidString)")
    return (folder, folder.appendingPathComponent("policychat.sqlite").path)
  }

  /// Every value of every table, one string per row.
  private func everyRow(_ path: String) throws -> [String: [String]] {
    let queue = try DatabaseQueue(path: path)
    return try queue.read { db in
      var rows: [String: [String]] = [:]
      let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
      for table in tables {
        rows[table] = try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map { row in
          row.databaseValues.map { value in
            if let data = Data.fromDatabaseValue(value), String(data: data, encoding: .utf8) == nil {
              return data.base64EncodedString()
            }
            return value.description
          }.joined(separator: " | ")
        }
      }
      return rows
    }
  }

  private static let childsData = [
    "Thandi", "Mokoena", "082 555 1234", "0825551234", "14 March 2011", "2011-03-14", "14/03/2011",
    "kid-tablet-7731", "thandi.m@example.org",
  ]

  @Test(arguments: [
    ("ZA", "14 March 2011", "needs_parental_consent"),
    ("US", "14/03/2014", "below_service_age"),
  ])
  func aGatedChildLeavesNothingAboutThemInAnyTable(country: String, birth: String, outcome: String) throws {
    let (folder, path) = temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: folder) }
    let engine = try TestEngine.make(database: .file(path))
    let child = try engine.openSession(SessionOptions(country: country, locale: "en-ZA", deviceId: "kid-tablet-7731"))
      .sessionId
    _ = try engine.send("Hi, I'm Thandi Mokoena, my phone is 082 555 1234", to: child)
    _ = try engine.send("my email is thandi.m@example.org, how long do you keep it?", to: child)
    _ = try engine.send("please delete my data", to: child)
    let gated = try engine.send(birth, to: child)
    #expect(gated.state.ageGate == outcome)
    #expect(gated.state.childPrivacy == true)
    #expect(gated.decision != nil)
    _ = try engine.send("What cookies do you use?", to: child)
    _ = try engine.send("Thandi Mokoena, 14 March 2011, again", to: child)
    let asked = try engine.send("parent@example.com", to: child)
    #expect(asked.events.contains { $0.type == "verification.send" })
    try engine.closeSession(child)

    let rows = try everyRow(path)
    for (table, values) in rows {
      for row in values {
        for personal in Self.childsData {
          #expect(!row.contains(personal), "\(table) holds the child's '\(personal)': \(row)")
        }
      }
    }
    // The child's session: no turns, not even metadata, and no country or locale.
    #expect(!rows["turn", default: []].contains { $0.contains(child) })
    let session = try #require(rows["session", default: []].first { $0.contains(child) })
    #expect(!session.contains(country) && !session.contains("en-ZA"))
    // What the audit keeps: the decision, and that a deletion happened.
    #expect(rows["decision", default: []].contains { $0.contains(child) && $0.contains("age_gate.") })
    #expect(!rows["deletion_log", default: []].isEmpty)
    // The parent's address is kept for the consent alone, in its own record.
    for (table, values) in rows where table != "parental_consent" {
      #expect(!values.contains { $0.contains("parent@example.com") }, "\(table) holds the parent's address")
    }
    for suffix in ["-wal", ""] {
      guard let data = FileManager.default.contents(atPath: path + suffix) else { continue }
      let text = String(decoding: data, as: UTF8.self)
      for personal in ["Thandi", "082 555 1234", "kid-tablet-7731", "14 March 2011"] {
        #expect(!text.contains(personal), "the database file\(suffix) holds '\(personal)'")
      }
    }
  }

  @Test func aParentsDeletionLeavesNeitherTheChildNorTheParentsAddress() throws {
    let (folder, path) = temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: folder) }
    let engine = try TestEngine.make(database: .file(path))
    let child = try engine.openSession(SessionOptions(country: "DE", deviceId: "kid-tablet-7731")).sessionId
    _ = try engine.send("delete my data", to: child)
    _ = try engine.send("2011-03-14", to: child)
    let sent = try engine.send("parent@example.com", to: child)
    let event = try #require(sent.events.first { $0.type == "verification.send" })
    let reference = try #require(event.data["reference"])

    let parent = try engine.openSession(SessionOptions(deviceId: "parent-phone")).sessionId
    _ = try engine.send("delete my child's data \(reference)", to: parent)
    let challenge = try #require(try engine.perform(.parent(.delete, reference: reference), in: parent).events.first)
    let code = try #require(challenge.data["code"])
    let deleted = try engine.perform(.enterCode(reference: reference, code: code), in: parent)
    #expect(deleted.intent == "parent.deleted")

    let rows = try everyRow(path)
    for (table, values) in rows {
      for row in values {
        #expect(!row.contains("parent@example.com"), "\(table) still holds the parent's address: \(row)")
        #expect(!row.contains(child) || table == "decision" || table == "session", "\(table) still links the child")
      }
    }
    // The device's under-age answer stays (a keyed hash), so that the child cannot answer
    // the screen again as an adult once the parent has had the data deleted.
    #expect(rows["device_answer", default: []].count == 1)
    let consent = try #require(rows["parental_consent", default: []].first)
    #expect(consent.contains("deleted"))
    #expect(rows["deletion_log", default: []].contains { $0.contains(reference) && $0.contains("deletion request") })
  }

  @Test func oneTimeCodesAndDeviceIdsAreStoredOnlyAsHashes() throws {
    let (folder, path) = temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: folder) }
    let engine = try TestEngine.make(database: .file(path))
    let child = try engine.openSession(SessionOptions(country: "ZA", deviceId: "kid-tablet-7731")).sessionId
    _ = try engine.send("delete my data", to: child)
    _ = try engine.send("I'm 15", to: child)
    let sent = try engine.send("parent@example.com", to: child)
    let code = try #require(sent.events.first?.data["code"])
    #expect(code.count == 6 && code.allSatisfy(\.isNumber))

    let queue = try DatabaseQueue(path: path)
    try queue.read { db in
      let challenge = try #require(try Row.fetchOne(db, sql: "SELECT * FROM challenge"))
      let hash: String = challenge["codeHash"]
      #expect(hash.count == 64 && hash != code)
      let devices = try String.fetchAll(db, sql: "SELECT deviceHash FROM device_answer")
      #expect(devices.count == 1 && devices.allSatisfy { $0.count == 64 && !$0.contains("kid") })
    }
  }
}
