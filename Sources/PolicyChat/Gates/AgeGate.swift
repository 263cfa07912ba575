/// What the age screen decides for a declared age under a jurisdiction's rule.
public enum AgeGateOutcome: String, Sendable, Codable {
  /// At or above the consent age: may proceed.
  case adult
  /// Between the service and the consent age: may chat and read; anything that collects
  /// data waits for a parent's verified consent.
  case needsParentalConsent
  /// Below the service age: answers only, nothing kept; parental consent is the route.
  case belowServiceAge

  public init(age: Int, rule: Jurisdictions.AgeRule) {
    if age >= rule.consentAge {
      self = .adult
    } else if age >= rule.serviceAge {
      self = .needsParentalConsent
    } else {
      self = .belowServiceAge
    }
  }
}

extension AgeGateOutcome {
  /// Higher is stricter.
  var strictness: Int {
    switch self {
    case .adult: 0
    case .needsParentalConsent: 1
    case .belowServiceAge: 2
    }
  }
}
