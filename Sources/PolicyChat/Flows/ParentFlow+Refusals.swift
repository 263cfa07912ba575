import Foundation

/// The parent's codes, and the refusals of a parent's step: a code not sent or not taken,
/// and a step taken where only the child could be.
extension ParentFlow {
  /// A new code for a consent's parent, unless the reference's day of codes or a budget
  /// is spent. The parent is never taken for the address's owner: codes to a parent all
  /// count against what strangers may ask for.
  static func sendCode(
    _ purpose: CodePurpose, consent: ParentalConsentRecord, context: FlowContext, state: SessionState
  ) throws(EngineError) -> CodeSending {
    try context.verifier.send(
      purpose, for: .existing(consent.reference), to: consent.parentContact, as: state.codeRequester, owner: false,
      policy: context.gates.codePolicy, now: context.now)
  }

  /// A parent's code not sent, as a reply.
  static func sendingRefusal(
    _ sending: CodeSending, consent: ParentalConsentRecord?, context: FlowContext, state: SessionState
  ) -> FlowReply {
    switch sending {
    case .limited(let refusal):
      context.codeLimitReply(
        refusal, kind: .codeLimit, intent: "parent.code_limit", values: values(consent, context: context),
        state: state)
    case .budgetSpent(let refusal):
      context.codeBudgetReply(refusal, kind: .parentalCodeBudget, intent: "parent.code_budget", state: state)
    case .sent:
      FlowReply("parent.closed", values: values(consent, context: context))
    }
  }

  /// A parent's code not taken (locked, expired, used, mistyped, a budget spent), as a
  /// reply; nil when it was verified.
  static func codeRefusal(
    _ check: CodeCheck, consent: ParentalConsentRecord, context: FlowContext, state: SessionState
  ) -> FlowReply? {
    var values = values(consent, context: context)
    switch check {
    case .verified:
      return nil
    case .missing:
      return FlowReply("parent.closed", values: values)
    case .locked(let code):
      let decision = context.decision(
        .codeLocked, outcome: "locked", state: state,
        facts: ["reference": consent.reference, "tries": code.triesText])
      return FlowReply("parent.locked", values: values, decision: decision)
    case .expired(let code):
      let decision = context.decision(
        .codeExpired, outcome: "expired", state: state,
        facts: ["reference": consent.reference, "expiredAt": UTCDate.iso8601(code.record.expiresAt)])
      return FlowReply("parent.expired", values: values, decision: decision)
    case .budgetSpent(let refusal):
      return context.codeBudgetReply(refusal, kind: .parentalCodeBudget, intent: "parent.code_budget", state: state)
    case .wrong(let remaining):
      values["tries"] = remaining == 1 ? "1 more try" : "\(remaining) more tries"
      return FlowReply("parent.code_wrong", values: values)
    }
  }

  /// The refusal of a parent's step taken in the child's own session or on its device.
  static func sameParentAndChildRefusal(
    _ consent: ParentalConsentRecord, context: FlowContext, state: SessionState
  ) -> FlowReply? {
    guard isChildOf(consent, state: state) else { return nil }
    let decision = context.decision(
      .sameParentAndChild, outcome: "refused", state: state,
      facts: [
        "reference": consent.reference,
        "where": consent.childSessionId == state.id ? "the child's own session" : "the child's device",
      ])
    return FlowReply("parent.same_person", decision: decision)
  }

  /// A code is not for the child: not in the child's own session, nor on the child's device.
  private static func isChildOf(_ consent: ParentalConsentRecord, state: SessionState) -> Bool {
    if consent.childSessionId == state.id { return true }
    guard let device = state.deviceHash else { return false }
    return consent.childDeviceHash == device
  }
}
