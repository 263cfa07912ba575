import Foundation

/// One issued code as it is stored (only its salted hash), and the rules of using it:
/// it lasts until `expiresAt` (not including that instant), each wrong guess uses up one
/// of its `maxAttempts` tries and the last one locks it, and a right guess uses it up.
struct OneTimeCode: Sendable, Equatable {
  var record: ChallengeRecord

  /// Where a code stands before a guess.
  enum Standing: Sendable, Equatable {
    case open
    /// Too many wrong guesses: it will never work again.
    case locked
    /// Past its life, or used, replaced or expired before.
    case spent
  }

  /// What a guess did.
  enum Guess: Sendable, Equatable {
    case right
    case wrong(remaining: Int)
    /// Wrong, and it was the last try.
    case lockedOut
  }

  init(_ record: ChallengeRecord) {
    self.record = record
  }

  /// A new code's record, open and untried.
  init(
    id: String, code: String, salt: String, purpose: CodePurpose, reference: String, policy: CodePolicy, now: Date
  ) {
    record = ChallengeRecord(
      id: id, purpose: purpose.rawValue, reference: reference, salt: salt,
      codeHash: Hashing.codeHash(code, salt: salt), issuedAt: now, expiresAt: now.addingTimeInterval(policy.lifetime),
      attempts: 0, maxAttempts: policy.maxAttempts, status: "open")
  }

  func standing(at now: Date) -> Standing {
    if record.status == "locked" { return .locked }
    if record.status != "open" || now >= record.expiresAt { return .spent }
    return .open
  }

  /// Marks an open code past its life as expired; true when that changed the record.
  mutating func expire(at now: Date) -> Bool {
    guard record.status == "open", now >= record.expiresAt else { return false }
    record.status = "expired"
    return true
  }

  /// Marks an open code as replaced by a newer one; true when that changed the record.
  mutating func replace() -> Bool {
    guard record.status == "open" else { return false }
    record.status = "replaced"
    return true
  }

  /// Compares a guess with the code, in time that does not depend on where they differ.
  /// Only for an open code: the caller checks ``standing(at:)`` first.
  mutating func guess(_ code: String) -> Guess {
    guard !Hashing.equal(Hashing.codeHash(code, salt: record.salt), record.codeHash) else {
      record.status = "used"
      return .right
    }
    record.attempts += 1
    guard record.attempts < record.maxAttempts else {
      record.status = "locked"
      return .lockedOut
    }
    return .wrong(remaining: record.maxAttempts - record.attempts)
  }

  /// "3 of 5": the tries used, for a lock-out's facts.
  var triesText: String {
    "\(record.attempts) of \(record.maxAttempts)"
  }
}
