import Foundation

/// What a one-time code is for: stored with it, and told to the host that delivers it.
enum CodePurpose: String, Sendable, CaseIterable {
  /// Proving a person holds an address, for a rights request or a status look-up.
  case identity
  /// A parent giving consent for a child.
  case parentalConsent = "parental_consent"
  /// A parent reviewing, revoking or deleting what they consented to.
  case parentalControl = "parental_control"
}

/// How the codes of one purpose behave, as a data file sets it: identity codes from
/// knowledge/requests.yaml `verification:`, parents' codes from knowledge/age-gate.yaml
/// `parentalConsent.code:`.
struct CodePolicy: Sendable, Equatable {
  var digits: Int
  var lifetime: TimeInterval
  /// Wrong codes typed before a code stops working.
  var maxAttempts: Int
  /// Codes one reference can be sent in 24 hours.
  var maxCodesPerDay: Int
}

extension RequestSettings {
  /// The identity codes of rights requests and status look-ups.
  var codePolicy: CodePolicy {
    CodePolicy(digits: codeDigits, lifetime: codeLifetime, maxAttempts: maxAttempts, maxCodesPerDay: maxCodesPerDay)
  }
}

extension GateSettings {
  /// Parents' codes.
  var codePolicy: CodePolicy {
    CodePolicy(digits: codeDigits, lifetime: codeLifetime, maxAttempts: maxAttempts, maxCodesPerDay: maxCodesPerDay)
  }
}
