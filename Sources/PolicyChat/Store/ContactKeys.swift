import Foundation
import Synchronization

/// Where the engine's data key comes from, found once and then kept: the key that seals
/// contact details (``FieldCipher``) before any store sees them, so that every store keeps
/// them sealed, whatever it is.
final class ContactKeys: Sendable {
  enum Source: Sendable {
    /// The host's (`--key-file`, `$POLICYCHAT_DATA_KEY`, ``EngineConfiguration/dataKeys``).
    case given(DataKeys)
    /// None given for a database file: a key file beside it (``DataKeys/resolve``).
    case besideFile(String)
    /// None given for a database in memory: a key of its own, kept in the store itself
    /// (never outliving it), so that several engines over one store read each other's
    /// values. A store of the host's own should be given keys instead.
    case inStore
    /// None given for a PostgreSQL database: refused at first use. A key in the database it
    /// protects protects nothing, and one made on each machine would differ between them.
    case missing
  }

  let source: Source
  private let resolved = Mutex<FieldCipher?>(nil)

  init(_ source: Source) {
    self.source = source
  }

  /// The keys of a configuration: its own, else the default for its database (the SQLite
  /// store's file, when the engine is given one).
  convenience init(configuration: EngineConfiguration, store: any SessionStore) {
    if let keys = configuration.dataKeys {
      self.init(.given(keys))
    } else if let sqlite = store as? SQLiteSessionStore, case .file(let path) = sqlite.location {
      self.init(.besideFile(path))
    } else if case .file(let path) = configuration.database {
      self.init(.besideFile(path))
    } else if case .postgres = configuration.database {
      self.init(.missing)
    } else {
      self.init(.inStore)
    }
  }

  static let storedKeySetting = "contact-data-key"

  /// The cipher over the keys, found at first use.
  func cipher(_ store: any SessionStore) throws(EngineError) -> FieldCipher {
    if let cipher = resolved.withLock({ $0 }) { return cipher }
    let keys: DataKeys
    switch source {
    case .given(let given):
      keys = given
    case .besideFile(let path):
      keys = try DataKeys.resolve(keyFile: nil, previousKeyFiles: [], environment: [:], database: .file(path))
    case .inStore:
      let key = try store.settingMadeOnce(Self.storedKeySetting) { Hashing.newKey() }
      keys = try DataKeys(current: key)
    case .missing:
      throw DataKeys.missingForServer
    }
    let cipher = FieldCipher(keys: keys)
    resolved.withLock { $0 = cipher }
    return cipher
  }
}

extension SessionStore {
  /// The value of a setting, made by `make` and written if there is none yet. Another
  /// process may make one at the same moment: inside one transaction, the first one
  /// written wins and every process reads that one.
  func settingMadeOnce(_ key: String, _ make: () -> Data) throws(EngineError) -> Data {
    if let existing = try record(SettingRecord.self, key: key) { return existing.value }
    return try atomically { () throws(EngineError) -> Data in
      if let existing = try record(SettingRecord.self, key: key) { return existing.value }
      let value = make()
      try insert(SettingRecord(key: key, value: value))
      return value
    }
  }
}

extension RecordKeeper {
  /// A keyed hash of a host-supplied device id, so that the id itself is never stored. The
  /// key is made at first use and kept in the store (it is not a secret against the
  /// store's reader: it keeps ids from being listed back out of hashes elsewhere).
  func hashDeviceId(_ deviceId: String) throws(EngineError) -> String {
    Hashing.keyedHash(deviceId, key: try records.settingMadeOnce("device-hash-key") { Hashing.newKey() })
  }

  /// Seals every contact detail still in the clear (written before encryption) and
  /// re-seals those sealed under an earlier key, recomputing their index: opening the store
  /// with a new key and the old one as a previous key is the whole of a rotation. One
  /// transaction, so a process killed half-way leaves every value as it was. Returns how
  /// many values it sealed. A value sealed with a key not given is an error that names
  /// the key's id (never the key or the value).
  @discardableResult
  func sealContactDetails() throws(EngineError) -> Int {
    let cipher = try keys.cipher(records)
    let current = FieldCipher.prefix + cipher.keys.currentId + ":"
    // Values in the clear or under an earlier key; none, at every start but the first after
    // a change, and the query says so without reading any value.
    let staleSubjects = RecordQuery<StoredSubject>.all.lacksPrefix(.email, current)
    let staleParents = RecordQuery<ParentalConsentRecord>.all.lacksPrefix(.parentContact, current)
    let pending =
      try records.count(StoredSubject.self, matching: staleSubjects)
      + records.count(ParentalConsentRecord.self, matching: staleParents)
    guard pending > 0 else { return 0 }
    let sealed = try records.atomically { () throws(EngineError) -> Int in
      var sealed = 0
      // Read inside the transaction: another process may have sealed them meanwhile.
      for var subject in try records.records(StoredSubject.self, matching: staleSubjects) {
        guard let stored = subject.email else { continue }
        let email = try cipher.open(stored)
        subject.email = try cipher.seal(email)
        subject.emailIndex = cipher.index(email)
        try records.save(subject)
        sealed += 1
      }
      for var consent in try records.records(ParentalConsentRecord.self, matching: staleParents) {
        guard let stored = consent.parentContact else { continue }
        consent.parentContact = try cipher.seal(try cipher.open(stored))
        try records.save(consent)
        sealed += 1
      }
      return sealed
    }
    // The old values are still in the journal until it is reset: no copy under the old key
    // may stay. Another process reading at this moment keeps it: the next reset does it.
    try? records.reclaimDeletedSpace()
    return sealed
  }
}

extension DataKeys {
  /// Seals every contact detail of `store` under the current key (the key rotation of
  /// `policychat admin rekey`; the engine does the same when it opens a store): values in
  /// the clear and values sealed with one of the previous keys. Returns how many.
  public func sealContactDetails(in store: any SessionStore) throws(EngineError) -> Int {
    try RecordKeeper(records: store, keys: ContactKeys(.given(self))).sealContactDetails()
  }
}
