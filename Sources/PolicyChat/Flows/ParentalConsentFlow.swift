import Foundation

/// Verifiable parental consent, the child's side (knowledge/age-gate.yaml): the age screen
/// held something back for a parent's consent and offered to ask one; the child gives the
/// parent's address, and the host delivers a one-time code to it. The parent goes on in a
/// session of their own (``ParentFlow``).
struct ParentalConsentFlow: Flow {
  /// What waits for the parent's consent; nil when the flow was met by a protocol action
  /// with nothing held.
  let held: GatedAction?

  init(then held: GatedAction?) {
    self.held = held
  }

  /// The answer to "what is your parent's e-mail address?", or the protocol's
  /// `parental.request` (its address checked by the caller).
  func step(_ input: FlowInput, context: FlowContext, state: inout SessionState) throws(EngineError) -> FlowOutcome {
    switch input {
    case .action(.requestParentalConsent(let contact)):
      return try Self.request(contact: contact, scope: held?.intent, context: context, state: &state)
    case .action:
      return .decline
    case .text(let message, let normalized):
      if let email = GateAnswers.email(in: message) {
        return try Self.request(contact: email, scope: held?.intent, context: context, state: &state)
      }
      let catalog = context.catalog
      if catalog.cue("no", matches: normalized) || catalog.cue("cancel", matches: normalized) {
        return .reply(FlowReply("parent.declined"), waiting: nil)
      }
      // Only something with an @ is a try at an address; anything else is answered.
      guard message.contains("@") else { return .decline }
      return .reply(FlowReply("parent.ask_contact_again"), waiting: .flow(self))
    }
  }

  /// The child gave a parent's address: open a consent request and have the host send the code.
  static func request(
    contact: String, scope intent: String?, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome {
    guard state.childPrivacy else { return .reply(FlowReply("parent.not_needed"), waiting: nil) }
    let now = context.now
    let gates = context.gates
    // The reference is drawn only once the code may go out. The verifier writes the code
    // and spends its budgets itself, in a transaction of its own (FlowContext+Parental).
    let random = context.random
    let sending = try context.verifier.send(
      .parentalConsent, for: .new({ random.reference(prefix: "PC-") }), to: contact, as: state.codeRequester,
      owner: false, policy: gates.codePolicy, now: now)
    guard case .sent(let issued) = sending else {
      return .reply(ParentFlow.sendingRefusal(sending, consent: nil, context: context, state: state), waiting: nil)
    }
    let consent = ParentalConsentRecord(
      reference: issued.reference, childSessionId: state.id, childDeviceHash: state.deviceHash, parentContact: contact,
      scope: "rights_request", detail: intent, status: "pending", country: state.country,
      policyVersion: context.policyVersion, requestedAt: now)
    state.effect(.parentalConsent(consent))
    state.parentalReference = issued.reference
    state.parentalStatus = "pending"
    return .reply(
      FlowReply("parent.sent", values: ParentFlow.values(consent, context: context), events: [issued.delivery]),
      waiting: nil)
  }
}
