import Foundation
import PolicyChat
import Testing

/// The table of knowledge/jurisdictions.yaml, one row at a time (compliance.md §1).
@Suite struct JurisdictionTests {
  private let jurisdictions = TestEngine.shared.jurisdictions

  @Test(arguments: [
    ("ZA", 18), ("US", 13), ("GB", 13),
    ("BE", 13), ("EE", 13), ("FI", 13), ("LV", 13), ("MT", 13), ("PT", 13), ("SE", 13), ("NO", 13),
    ("AT", 14), ("BG", 14), ("CY", 14), ("IT", 14), ("LT", 14), ("ES", 14),
    ("CZ", 15), ("FR", 15), ("GR", 15), ("DK", 15), ("SI", 15),
    ("HR", 16), ("DE", 16), ("HU", 16), ("IE", 16), ("LU", 16), ("NL", 16), ("PL", 16), ("RO", 16), ("SK", 16),
    ("LI", 16), ("IS", 13),
  ])
  func eachCountryHasItsConsentAgeAndASource(country: String, consentAge: Int) {
    let rule = jurisdictions.rule(for: country)
    #expect(rule.consentAge == consentAge)
    #expect(rule.serviceAge == 13)
    #expect(!rule.source.isEmpty)
  }

  @Test func icelandIsMarkedUnverifiedAndTheDatedRulesSaySince() {
    #expect(jurisdictions.rule(for: "IS").unverified)
    #expect(jurisdictions.rule(for: "DK").since == "2024-01-01")
    #expect(jurisdictions.rule(for: "SI").since == "2023-01-26")
    #expect(!jurisdictions.rule(for: "DE").unverified)
  }

  @Test func anywhereElseHasThePolicysFloor() {
    let rule = jurisdictions.rule(for: "KE")
    #expect(rule.consentAge == 13)
    #expect(rule.serviceAge == 13)
  }

  @Test func anUnknownCountryGetsTheStrictestRule() {
    #expect(jurisdictions.rule(for: nil).consentAge == 18)
    #expect(jurisdictions.rule(for: "").consentAge == 18)
  }

  @Test func codesAreReadInAnyCase() {
    #expect(jurisdictions.rule(for: "de").consentAge == 16)
  }

  @Test(arguments: [
    ("ZA", 15, AgeGateOutcome.needsParentalConsent), ("DE", 15, .needsParentalConsent), ("FR", 15, .adult),
    ("US", 12, .belowServiceAge), ("ZA", 18, .adult), ("US", 13, .adult),
  ])
  func theOutcomeFollowsTheRule(country: String, age: Int, outcome: AgeGateOutcome) {
    #expect(AgeGateOutcome(age: age, rule: jurisdictions.rule(for: country)) == outcome)
  }
}
