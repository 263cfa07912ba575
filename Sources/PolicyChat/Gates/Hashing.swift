import Crypto
import Foundation

/// The hashes that let the engine recognise a code or a device without keeping it.
enum Hashing {
  /// SHA-256 of the salt and the code, in hex: how a one-time code is stored.
  static func codeHash(_ code: String, salt: String) -> String {
    hex(SHA256.hash(data: Data((salt + ":" + code).utf8)))
  }

  /// HMAC-SHA-256 under the installation's key, in hex: how a device id is stored, so
  /// that a list of likely ids cannot simply be hashed and compared without the key.
  static func keyedHash(_ value: String, key: Data) -> String {
    hex(HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: SymmetricKey(data: key)))
  }

  /// Compares two hashes in time that does not depend on where they differ.
  static func equal(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for index in x.indices { difference |= x[index] ^ y[index] }
    return difference == 0
  }

  /// 32 bytes from the operating system's generator, for a new installation key.
  static func newKey() -> Data {
    var generator = SystemRandomNumberGenerator()
    return Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
  }

  /// Lowercase hexadecimal, two digits a byte.
  static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
    digest.map { byte in
      let text = String(byte, radix: 16)
      return byte < 16 ? "0" + text : text
    }.joined()
  }
}
