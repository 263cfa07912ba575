import Foundation

/// What the replies about a parental consent say of it (intents/gates.yaml's `parent.*`).
extension ParentFlow {
  /// The placeholders of a consent's replies.
  static func values(_ consent: ParentalConsentRecord?, context: FlowContext) -> [String: String] {
    guard let consent else { return [:] }
    let gates = context.gates
    let right =
      consent.detail.map {
        $0.replacingOccurrences(of: "request.", with: "").replacingOccurrences(of: "_", with: " ")
      } ?? "of any kind"
    let scopeTemplate = gates.scopes[consent.scope] ?? consent.scope
    var values = [
      "reference": consent.reference, "status": consent.status,
      "scope": context.render(scopeTemplate, values: ["right": right]),
      "digits": String(gates.codeDigits), "lifetime": gates.codeLifetimeText,
      "contact_masked": consent.parentContact.map(GateAnswers.masked) ?? "the address given",
      "method": methodText(consent, gates: gates),
    ]
    var when: String
    if let verified = consent.verifiedAt {
      when =
        "Given on \(UTCDate.minute(verified)) by \(methodName(consent)), under privacy policy version \(consent.policyVersion)."
    } else {
      when = "Asked for on \(UTCDate.minute(consent.requestedAt)); not given."
    }
    if let ended = consent.endedAt { when += " Ended on \(UTCDate.minute(ended))." }
    values["when"] = when
    return values
  }

  /// The method in full, for the parent's confirmation.
  private static func methodText(_ consent: ParentalConsentRecord, gates: GateSettings) -> String {
    switch consent.method {
    case "email_plus": "e-mail plus: \(gates.emailPlus)"
    case "host_verified":
      "the host application: \(consent.hostMethod.flatMap { gates.hostMethods[$0] } ?? consent.hostMethod ?? "its own check")"
    default: "not yet verified"
    }
  }

  /// The method in a few words, for a review.
  private static func methodName(_ consent: ParentalConsentRecord) -> String {
    switch consent.method {
    case "email_plus": "e-mail plus"
    case "host_verified": "the host application (\(consent.hostMethod ?? "its own check"))"
    default: "no method yet"
    }
  }
}
