import Foundation
import GRDB
import Testing

@testable import PolicyChat

/// Contact details are sealed with AES-GCM in the database file: the file (and its WAL)
/// never holds an address in the clear, the right key reads them back, a wrong key is a
/// clear error, and a rotation re-seals everything.
@Suite struct EncryptionAtRestTests {
  private static let keyA = Data(repeating: 0xA1, count: 32)
  private static let keyB = Data(repeating: 0xB2, count: 32)
  private static let requester = "Thandi.Mokoena@Example.org"
  private static let parent = "mum.of.thandi@example.com"

  private func temporaryDatabase() -> (folder: URL, path: String) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-enc-\(UUID().uuidString)")
    return (folder, folder.appendingPathComponent("policychat.sqlite").path)
  }

  private func engine(_ path: String, keys: DataKeys) throws -> Engine {
    try Engine(
      configuration: EngineConfiguration(
        home: TestEngine.repositoryRoot, database: .file(path), clock: ManualClock(TestEngine.start),
        random: SeededRandomSource(seed: 7), dataKeys: keys))
  }

  /// A verified access request (the requester's address) and a child's request to a
  /// parent (the parent's address); returns the parental consent's reference.
  @discardableResult
  private func storeBothKindsOfContact(_ engine: Engine) throws -> String {
    let adult = try engine.openSession(SessionOptions(country: "ZA")).sessionId
    _ = try engine.perform(.declareAge("1980-05-01"), in: adult)
    _ = try engine.send("send me a copy of my data", to: adult)
    let sent = try engine.send(Self.requester, to: adult)
    let code = try #require(sent.events.first { $0.type == "verification.send" }?.data["code"])
    let made = try engine.send(code, to: adult)
    #expect(made.intent == "request.access_done", "\(made.intent): \(made.text)")

    let child = try engine.openSession(SessionOptions(country: "ZA")).sessionId
    _ = try engine.send("please delete my data", to: child)
    _ = try engine.send("I'm 15", to: child)
    let asked = try engine.send(Self.parent, to: child)
    return try #require(asked.events.first?.data["reference"])
  }

  /// The file's records as the engine reads them, after the sealing every opening does;
  /// and how many values that sealing sealed.
  private func opened(_ path: String, keys: DataKeys) throws -> (records: RecordKeeper, sealed: Int) {
    let records = RecordKeeper(records: try SQLiteSessionStore(location: .file(path)), keys: ContactKeys(.given(keys)))
    return (records, try records.sealContactDetails())
  }

  /// The database file and its WAL, as bytes an attacker with a copy would have.
  private func fileBytes(_ path: String) -> Data {
    [path, path + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }.reduce(Data(), +)
  }

  private func contains(_ haystack: Data, _ needle: String) -> Bool {
    haystack.range(of: Data(needle.utf8)) != nil || haystack.range(of: Data(needle.lowercased().utf8)) != nil
  }

  @Test func theFileNeverHoldsAnAddressInTheClearYetTheEngineReadsThemBack() throws {
    let (folder, path) = temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: folder) }
    let keys = try DataKeys(current: Self.keyA)
    let engine = try engine(path, keys: keys)
    let reference = try storeBothKindsOfContact(engine)

    let bytes = fileBytes(path)
    #expect(!bytes.isEmpty)
    #expect(!contains(bytes, Self.requester))
    #expect(!contains(bytes, Self.parent))
    #expect(contains(bytes, "enc1:" + keys.currentId))

    // Found again by address, whatever its case: the blind index, not the ciphertext.
    let store = try opened(path, keys: keys).records
    let subject = try #require(try store.subject(email: "thandi.mokoena@example.ORG "))
    #expect(subject.email == Self.requester)
    #expect(try store.parentalConsent(reference: reference)?.parentContact == Self.parent)
    // A new code for the parent goes to the address opened from the file.
    let parentSession = try engine.openSession().sessionId
    let again = try engine.send("revoke my consent for my child \(reference)", to: parentSession)
    #expect(again.events.first { $0.type == "verification.send" }?.data["to"] == Self.parent, "\(again.text)")
  }

  @Test func aWrongKeyIsAClearErrorThatShowsNoKeyAndNoAddress() throws {
    let (folder, path) = temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: folder) }
    try storeBothKindsOfContact(try engine(path, keys: try DataKeys(current: Self.keyA)))

    let wrong = try DataKeys(current: Self.keyB)
    let error = #expect(throws: EngineError.self) { try opened(path, keys: wrong) }
    let message = error?.description ?? ""
    let keyA = try DataKeys(current: Self.keyA).currentId
    #expect(message.contains("data key \(keyA), which was not given"), "\(message)")
    #expect(!message.contains("@"))
    #expect(!message.lowercased().contains("a1a1a1"))
  }

  @Test func aRotationReSealsEveryValueAndThenNeedsOnlyTheNewKey() throws {
    let (folder, path) = temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: folder) }
    let reference = try storeBothKindsOfContact(try engine(path, keys: try DataKeys(current: Self.keyA)))

    let rotated = try opened(path, keys: try DataKeys(current: Self.keyB, previous: [Self.keyA]))
    #expect(rotated.sealed == 2)
    let keyB = try DataKeys(current: Self.keyB)
    let (after, sealedAgain) = try opened(path, keys: keyB)
    #expect(sealedAgain == 0)
    #expect(try after.subject(email: Self.requester)?.email == Self.requester)
    #expect(try after.parentalConsent(reference: reference)?.parentContact == Self.parent)
    #expect(!contains(fileBytes(path), "enc1:" + (try DataKeys(current: Self.keyA)).currentId))
  }

  @Test func addressesWrittenBeforeEncryptionAreSealedWhenTheStoreOpens() throws {
    let (folder, path) = temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: folder) }
    // An address in the clear, as a release before encryption wrote it.
    let keys = try DataKeys(current: Self.keyA)
    _ = try opened(path, keys: keys)
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in
      try db.execute(
        sql: "INSERT INTO data_subject (id, email, createdAt, restricted) VALUES ('ds-1', ?, ?, 0)",
        arguments: [Self.requester, TestEngine.start])
    }
    try queue.close()

    let (store, sealed) = try opened(path, keys: keys)
    #expect(sealed == 1)
    #expect(try store.subject(email: Self.requester)?.id == "ds-1")
    let stored = try DatabaseQueue(path: path).read { db in
      try String.fetchOne(db, sql: "SELECT email FROM data_subject WHERE id = 'ds-1'")
    }
    #expect(stored?.hasPrefix("enc1:\(keys.currentId):") == true)
  }

  @Test func withoutAKeyADatabaseFileGetsAKeyFileOfItsOwnWithMode0600() throws {
    let (folder, path) = temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = try DataKeys.resolve(keyFile: nil, previousKeyFiles: [], environment: [:], database: .file(path))
    let attributes = try FileManager.default.attributesOfItem(atPath: path + ".key")
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    let second = try DataKeys.resolve(keyFile: nil, previousKeyFiles: [], environment: [:], database: .file(path))
    #expect(first.currentId == second.currentId)
    // The environment's key wins over the file beside the database.
    let hex = String(repeating: "b2", count: 32)
    let fromEnvironment = try DataKeys.resolve(
      keyFile: nil, previousKeyFiles: [], environment: ["POLICYCHAT_DATA_KEY": hex], database: .file(path))
    #expect(fromEnvironment.currentId == (try DataKeys(current: Self.keyB)).currentId)
  }

  @Test(arguments: [
    (String(repeating: "a1", count: 32), true),
    (" " + String(repeating: "A1", count: 32) + "\n", true),
    (Data(repeating: 0xA1, count: 32).base64EncodedString(), true),
    (String(repeating: "a1", count: 31), false),
    (String(repeating: "zz", count: 32), false),
    ("", false),
  ])
  func keysAreReadAsHexOrBase64(text: String, valid: Bool) {
    #expect((DataKeys.parse(text) != nil) == valid)
    if valid { #expect(DataKeys.parse(text) == Self.keyA) }
  }

  @Test func aKeyFileThatHoldsNoKeyIsNamedButNotShown() throws {
    let (folder, path) = temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let keyFile = folder.appendingPathComponent("bad.key").path
    try Data("not-a-key-secret-words".utf8).write(to: URL(fileURLWithPath: keyFile))
    let error = #expect(throws: EngineError.self) {
      try DataKeys.resolve(keyFile: keyFile, previousKeyFiles: [], environment: [:], database: .file(path))
    }
    #expect(error?.description.contains(keyFile) == true)
    #expect(error?.description.contains("secret") == false)
  }
}
