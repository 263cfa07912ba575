import Foundation
import PolicyChat

/// Answers to "what is your date of birth?": any text must be read as a plausible date or
/// age, or refused with a ``DeclaredAge/Problem``.
enum DateOfBirthTarget {
  /// The day the repository's transcripts run on; a fixed day keeps a crash reproducible.
  private static let now = Date(timeIntervalSince1970: 1_796_000_000)
  /// DeclaredAge accepts ages in 4...120 (its `plausibleAges`), whatever form they came in.
  private static let plausible = 4...120

  static func run(_ text: String) {
    guard case .success(let declared) = DeclaredAge.parse(text, now: now) else { return }
    let age = declared.age(at: now)
    require(plausible.contains(age), "accepted \(declared), which makes an age of \(age)")
    switch declared {
    case .birthDate(_, let month, let day):
      require((1...12).contains(month) && (1...31).contains(day), "accepted an impossible date \(declared)")
    case .birthMonth(_, let month):
      require((1...12).contains(month), "accepted an impossible month \(declared)")
    case .age:
      break
    }
  }
}
