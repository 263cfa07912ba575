import Foundation

/// What became of a code someone typed; each flow answers it in its own words.
enum CodeCheck: Sendable, Equatable {
  /// No code was issued for this (or it is gone).
  case missing
  /// Locked by too many wrong guesses, before or by this one.
  case locked(OneTimeCode)
  /// Past its life, or used or replaced before.
  case expired(OneTimeCode)
  /// The wrong-guess budget of the address is spent: the code was not compared.
  case budgetSpent(CodeBudgetRefusal)
  case wrong(remaining: Int)
  case verified
}

/// What became of asking for a code to be sent.
enum CodeSending: Sendable, Equatable {
  /// Issued and stored; `delivery` is the event that asks the host to send it.
  case sent(IssuedCode)
  /// The reference had its day's codes (`maxCodesPerDay`).
  case limited(CodeLimitRefusal)
  /// A budget of knowledge/verification.yaml is spent.
  case budgetSpent(CodeBudgetRefusal)
}

/// A code just issued: its stored id, the reference it is for, and the event that hands
/// the code itself to the host (the only place the code ever appears).
struct IssuedCode: Sendable, Equatable {
  var challengeId: String
  var reference: String
  var delivery: TurnEvent
}

/// A reference that had `limit` codes in the last 24 hours; another may go `after`.
struct CodeLimitRefusal: Sendable, Equatable {
  var reference: String
  var limit: Int
  var after: Date
}

/// Which budget of knowledge/verification.yaml a refusal found spent.
enum CodeBudgetScope: String, Sendable {
  case address
  case ownDevice = "own_device"
  case session, device, guesses
}

/// A spent budget: which one, its limit, and when a unit of it is free again.
struct CodeBudgetRefusal: Sendable, Equatable {
  var scope: CodeBudgetScope
  var limit: Int
  var after: Date
}

/// The reference a code is for: one that exists (a request's, a consent's), or one made
/// only once the code may go out, so that a refusal draws nothing from the random source.
enum CodeReference {
  case existing(String)
  case new(() -> String)
}
