import Crypto
import Foundation

/// The keys that encrypt contact details at rest: the current one, which seals every new
/// value, and earlier ones, kept only to read values sealed before a rotation.
///
/// A key is 32 random bytes, written as 64 hexadecimal digits or in base64. It comes from
/// the host (`--key-file`, `$POLICYCHAT_KEY_FILE` or `$POLICYCHAT_DATA_KEY`); without one, a
/// database file gets a key file beside it, made on first use with mode 0600
/// (docs/SECURITY.md says why a real deployment keeps it elsewhere).
public struct DataKeys: Sendable {
  // Kept as bytes: Crypto's SymmetricKey is not Sendable, and making one is cheap.
  private let currentBytes: Data
  var current: SymmetricKey { SymmetricKey(data: currentBytes) }
  /// A short public name of the current key, stored with each value it seals, so that a
  /// value says which key opens it without revealing anything of the key.
  public let currentId: String
  private let previous: [String: Data]

  public init(current: Data, previous: [Data] = []) throws(EngineError) {
    for key in [current] + previous where key.count != 32 {
      throw .storage(reason: "a data key must be 32 bytes (64 hexadecimal digits), not \(key.count) bytes")
    }
    currentBytes = current
    currentId = Self.id(of: current)
    var earlier: [String: Data] = [:]
    for key in previous where Self.id(of: key) != currentId {
      earlier[Self.id(of: key)] = key
    }
    self.previous = earlier
  }

  /// A key that lives as long as the process: for an in-memory database, whose values
  /// never outlive it.
  public static func ephemeral() -> DataKeys {
    DataKeys(unchecked: Hashing.newKey())
  }

  private init(unchecked key: Data) {
    currentBytes = key
    currentId = Self.id(of: key)
    previous = [:]
  }

  func key(id: String) -> SymmetricKey? {
    if id == currentId { return current }
    return previous[id].map { SymmetricKey(data: $0) }
  }

  static func id(of key: Data) -> String {
    Hashing.hex(SHA256.hash(data: Data("policychat data key id:".utf8) + key).prefix(4))
  }
}

extension DataKeys {
  /// Reads a key written as 64 hexadecimal digits or as base64, surrounding blanks ignored.
  public static func parse(_ text: String) -> Data? {
    let trimmed = text.trimmingWhitespace
    if trimmed.utf8.count == 64, let bytes = hexBytes(trimmed) { return bytes }
    if let bytes = Data(base64Encoded: trimmed), bytes.count == 32 { return bytes }
    return nil
  }

  /// Reads a key file; the error names the file but never shows its content.
  public static func read(file path: String) throws(EngineError) -> Data {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .storage(reason: "cannot read the data key file \(path)")
    }
    guard let text = String(data: data, encoding: .utf8), let key = parse(text) else {
      throw .storage(
        reason: "the data key file \(path) does not hold a key: 64 hexadecimal digits or 32 bytes in base64")
    }
    return key
  }

  /// The keys for a database, from the host's settings:
  /// - `keyFile` (the `--key-file` option), else `$POLICYCHAT_KEY_FILE`, else
  ///   `$POLICYCHAT_DATA_KEY` (the key itself), else, for a database file, `FILE.key`
  ///   beside it, made on first use; an in-memory database gets a key of its own;
  /// - `previousKeyFiles`, else `$POLICYCHAT_PREVIOUS_KEY_FILES` (paths separated by `:`):
  ///   the keys of earlier rotations, to read what they sealed.
  public static func resolve(
    keyFile: String?, previousKeyFiles: [String], environment: [String: String], database: DatabaseLocation
  ) throws(EngineError) -> DataKeys {
    let fromEnvironment = { (name: String) in environment[name].flatMap { $0.isEmpty ? nil : $0 } }
    var previous: [Data] = []
    let previousPaths =
      previousKeyFiles.isEmpty
      ? (fromEnvironment("POLICYCHAT_PREVIOUS_KEY_FILES")?.split(separator: ":").map(String.init) ?? [])
      : previousKeyFiles
    for path in previousPaths { previous.append(try read(file: path)) }

    if let path = keyFile ?? fromEnvironment("POLICYCHAT_KEY_FILE") {
      return try DataKeys(current: try read(file: path), previous: previous)
    }
    if let text = fromEnvironment("POLICYCHAT_DATA_KEY") {
      guard let key = parse(text) else {
        throw .storage(
          reason: "POLICYCHAT_DATA_KEY does not hold a key: 64 hexadecimal digits or 32 bytes in base64")
      }
      return try DataKeys(current: key, previous: previous)
    }
    switch database {
    case .inMemory:
      return previous.isEmpty ? ephemeral() : try DataKeys(current: Hashing.newKey(), previous: previous)
    case .file(let path):
      return try DataKeys(current: try defaultKey(beside: path), previous: previous)
    case .postgres:
      throw missingForServer
    }
  }

  /// A database server's store has no file to keep a key beside, and every machine that
  /// shares the database must use the same key: the host gives it.
  static let missingForServer = EngineError.storage(
    reason:
      "a PostgreSQL database needs a data key given: --key-file FILE, $POLICYCHAT_KEY_FILE or $POLICYCHAT_DATA_KEY (docs/DEPLOYMENT.md)"
  )

  /// `DATABASE.key`, made when missing (``createKeyFile(at:)``).
  static func defaultKey(beside database: String) throws(EngineError) -> Data {
    let path = database + ".key"
    if !FileManager.default.fileExists(atPath: path) {
      let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
      try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      // False: another process made it first; it is complete, and it is the one to use.
      _ = try createKeyFile(at: path)
    }
    return try read(file: path)
  }

  /// Writes a new key (64 hexadecimal digits) to `path` with mode 0600; false, writing
  /// nothing, when `path` exists. The key is written whole to a file of its own and then
  /// linked to its name, which fails if the name exists: two processes making a key at once
  /// agree on one, and neither reads a key file the other has only begun to write.
  public static func createKeyFile(at path: String) throws(EngineError) -> Bool {
    let draft = path + ".new-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    let descriptor = open(draft, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw cannotCreate(path) }
    let text = Array((Hashing.hex(Hashing.newKey()) + "\n").utf8)
    let written = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    let synced = fsync(descriptor)
    close(descriptor)
    defer { unlink(draft) }
    guard written == text.count, synced == 0 else {
      throw .storage(reason: "cannot write the data key file \(path)")
    }
    guard link(draft, path) == 0 else {
      if errno == EEXIST { return false }
      throw cannotCreate(path)
    }
    return true
  }

  /// Why the default key file could not be made, with the system's reason (say, a
  /// read-only folder) and how to name a key elsewhere.
  private static func cannotCreate(_ path: String) -> EngineError {
    .storage(
      reason: "cannot create the data key file \(path): \(String(cString: strerror(errno))) "
        + "(give a key with --key-file or POLICYCHAT_DATA_KEY; docs/SECURITY.md)")
  }

  private static func hexBytes(_ text: String) -> Data? {
    var bytes = Data()
    var high: UInt8?
    for unit in text.utf8 {
      let value: UInt8
      switch unit {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): value = unit - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): value = unit - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): value = unit - UInt8(ascii: "A") + 10
      default: return nil
      }
      if let first = high {
        bytes.append(first << 4 | value)
        high = nil
      } else {
        high = value
      }
    }
    return bytes
  }
}
