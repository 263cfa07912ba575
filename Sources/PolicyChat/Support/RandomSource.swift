import Synchronization

/// Where the engine draws randomness from (session ids, later reference numbers and codes).
///
/// Injected so that runs are deterministic under a fixed seed.
public protocol RandomSource: Sendable {
  func next() -> UInt64
}

extension RandomSource {
  /// `count` lowercase hexadecimal digits.
  func hexString(count: Int) -> String {
    var text = ""
    while text.count < count {
      text += String(next(), radix: 16).leftPadded(to: 16)
    }
    return String(text.prefix(count))
  }
}

extension RandomSource {
  /// A one-time code of `count` decimal digits (leading zeros kept).
  func digits(count: Int) -> String {
    var modulus: UInt64 = 1
    for _ in 0..<count { modulus *= 10 }
    let digits = String(next() % modulus)
    return String(repeating: "0", count: count - digits.count) + digits
  }

  /// `prefix` and six characters that cannot be misread (no 0/O, 1/I): `PC-7F3K2P`.
  func reference(prefix: String) -> String {
    let alphabet = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")
    var value = next()
    var text = prefix
    for _ in 0..<6 {
      text.append(alphabet[Int(value % UInt64(alphabet.count))])
      value /= UInt64(alphabet.count)
    }
    return text
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}

/// The operating system's cryptographic generator (getrandom on Linux).
public struct SystemRandomSource: RandomSource {
  public init() {}
  public func next() -> UInt64 {
    var generator = SystemRandomNumberGenerator()
    return generator.next()
  }
}

/// SplitMix64: small, fast and fully determined by its seed. Not for secrets.
public final class SeededRandomSource: RandomSource {
  private let state: Mutex<UInt64>

  public init(seed: UInt64) {
    state = Mutex(seed)
  }

  public func next() -> UInt64 {
    state.withLock { state in
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }
}
