import Crypto
import Foundation

/// Seals and opens the contact details the store keeps (a data subject's address, a
/// parent's address), so that a copied database file or backup does not give them away.
///
/// A sealed value is `enc1:KEYID:BASE64`, the base64 holding AES-256-GCM's 12-byte nonce,
/// the ciphertext and the 16-byte tag. The nonce is random for each value, so equal
/// addresses seal differently; lookups by address go through ``index(_:)`` instead.
struct FieldCipher: Sendable {
  static let prefix = "enc1:"
  let keys: DataKeys
  /// The key of the blind index, derived from the current key so that one secret is enough.
  /// (Bytes, as Crypto's SymmetricKey is not Sendable.)
  private let indexKey: Data

  init(keys: DataKeys) {
    self.keys = keys
    indexKey = HKDF<SHA256>.deriveKey(
      inputKeyMaterial: keys.current, info: Data("policychat contact index".utf8), outputByteCount: 32
    ).withUnsafeBytes { Data($0) }
  }

  func seal(_ plaintext: String) throws(EngineError) -> String {
    do {
      let box = try AES.GCM.seal(Data(plaintext.utf8), using: keys.current)
      guard let combined = box.combined else { throw EngineError.storage(reason: "AES-GCM gave no sealed value") }
      return Self.prefix + keys.currentId + ":" + combined.base64EncodedString()
    } catch let error as EngineError {
      throw error
    } catch {
      throw .storage(reason: "a contact detail could not be encrypted")
    }
  }

  /// The plaintext of a sealed value. A value written before encryption (no prefix) is
  /// returned as it is: the store seals such values when it opens.
  func open(_ stored: String) throws(EngineError) -> String {
    guard stored.hasPrefix(Self.prefix) else { return stored }
    guard let (keyId, payload) = Self.split(stored) else {
      throw .storage(reason: "a stored contact detail is damaged: it is not a sealed value")
    }
    guard let key = keys.key(id: keyId) else {
      throw .storage(
        reason: "a contact detail is encrypted with data key \(keyId), which was not given "
          + "(pass it with --previous-key-file; docs/SECURITY.md)")
    }
    do {
      let box = try AES.GCM.SealedBox(combined: payload)
      let opened = try AES.GCM.open(box, using: key)
      guard let text = String(data: opened, encoding: .utf8) else { throw EngineError.storage(reason: "") }
      return text
    } catch {
      // Never the value itself: it could be personal data if the failure is ours.
      throw .storage(reason: "a contact detail encrypted with data key \(keyId) failed its integrity check")
    }
  }

  func open(_ stored: String?) throws(EngineError) -> String? {
    guard let stored else { return nil }
    return try open(stored)
  }

  /// A keyed hash of an address, case folded: the store finds a person by address without
  /// keeping the address in the clear or being able to list addresses from the hashes.
  func index(_ address: String) -> String {
    let folded = address.trimmingWhitespace.lowercased()
    return Hashing.hex(HMAC<SHA256>.authenticationCode(for: Data(folded.utf8), using: SymmetricKey(data: indexKey)))
  }

  /// The key id and payload of a sealed value; nil for a value stored in the clear.
  static func split(_ stored: String) -> (keyId: String, payload: Data)? {
    guard stored.hasPrefix(prefix) else { return nil }
    let rest = stored.dropFirst(prefix.count)
    guard let colon = rest.firstIndex(of: ":"),
      let payload = Data(base64Encoded: String(rest[rest.index(after: colon)...]))
    else { return nil }
    return (String(rest[..<colon]), payload)
  }
}
