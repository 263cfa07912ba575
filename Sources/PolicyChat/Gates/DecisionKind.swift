/// Every kind of automated decision the engine can make about a person. Each is explained
/// in knowledge/decisions.yaml (a test checks that none is missing).
public enum DecisionKind: String, Sendable, CaseIterable {
  /// Under the consent age: what keeps data waits for a parent's consent.
  case parentalConsentRequired = "age_gate.parental_consent_required"
  /// Under the service age: answers only, nothing kept.
  case belowServiceAge = "age_gate.below_service_age"
  /// A second age after an under-age answer, in the session or on the device.
  case redeclarationRefused = "age_gate.redeclaration_refused"
  /// An under-age answer given in another session of the device now holds in this one.
  case deviceOutcomeApplied = "age_gate.device_outcome_applied"
  /// A country named after an under-age answer that would lift its outcome.
  case countryChangeRefused = "age_gate.country_change_refused"
  /// Too many wrong tries of a parent's code.
  case codeLocked = "parental_consent.locked"
  /// A parent's code past its life.
  case codeExpired = "parental_consent.expired"
  /// Too many codes asked for one consent's reference in a day.
  case codeLimit = "parental_consent.code_limit"
  /// A budget of parents' codes (per address, session or device) is spent.
  case parentalCodeBudget = "parental_consent.code_budget"
  /// A parent's code entered in the child's own session or on the child's device.
  case sameParentAndChild = "parental_consent.same_person"
  /// A child asked to turn on logging, marketing or another purpose.
  case childConsentRefused = "consent.child_refused"
  /// The browser's Do Not Track or Global Privacy Control signal refuses the purpose.
  case signalRefused = "consent.refused_by_signal"
  /// Too many wrong tries of an identity code for a request.
  case verificationLocked = "verification.locked"
  /// An identity code past its life.
  case verificationExpired = "verification.expired"
  /// Too many status codes asked for one request's reference in a day.
  case verificationCodeLimit = "verification.code_limit"
  /// A budget of identity codes (per address, session or device) is spent.
  case verificationCodeBudget = "verification.code_budget"
  /// A restriction of processing is in force: nothing is kept.
  case restrictionInForce = "request.restriction_in_force"
}
