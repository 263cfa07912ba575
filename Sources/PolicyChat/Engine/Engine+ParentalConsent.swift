import Foundation

/// Verifiable parental consent: the child asks, the host delivers a one-time code to the
/// parent, and the parent confirms in their own session; later the parent can review,
/// revoke, or have the child's data deleted (knowledge/age-gate.yaml).
extension Engine {
  /// The child gave a parent's address: open a consent request and have the host send the code.
  func requestParentalConsent(
    contact: String, scope intent: String?, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    guard state.childPrivacy else { return gateTurn("parent.not_needed", state: state) }
    // The reference is drawn only once the code may go out.
    let sending = try verifier.send(
      .parentalConsent, for: .new({ self.random.reference(prefix: "PC-") }), to: contact, as: state.codeRequester,
      owner: false, policy: gates.codePolicy, now: now)
    guard case .sent(let issued) = sending else { return parentSendingRefusal(sending, consent: nil, state: state) }
    let reference = issued.reference
    let consent = ParentalConsentRecord(
      reference: reference, childSessionId: state.id, childDeviceHash: state.deviceHash, parentContact: contact,
      scope: "rights_request", detail: intent, status: "pending", country: state.country,
      policyVersion: knowledge.policy.version, requestedAt: now)
    try store.saveParentalConsent(consent)
    state.parentalReference = reference
    state.parentalStatus = "pending"
    return gateTurn("parent.sent", values: consentValues(consent), state: state, events: [issued.delivery])
  }

  /// A parent named a consent (or is asked to): find it and take the next step.
  func parentStart(
    _ action: ParentAction, reference: String?, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    guard let reference else {
      state.pending = .parentReference(action)
      return gateTurn("parent." + action.rawValue, state: state)
    }
    guard let consent = try store.parentalConsent(reference: reference) else {
      state.pending = .parentReference(action)
      return gateTurn("parent.unknown_reference", state: state)
    }
    if let refusal = sameParentAndChildRefusal(consent, state: state) { return refusal }
    let values = consentValues(consent)
    switch action {
    case .consent:
      guard consent.status == "pending" else {
        return consent.status == "verified"
          ? gateTurn("parent.already_verified", values: values, state: state)
          : gateTurn("parent.closed", values: values, state: state)
      }
      let challenge = try store.latestChallenge(reference: reference, purpose: "parental_consent")
      // Also after a refusal: "send a new code" then needs no reference.
      state.pending = .parentCode(reference: reference, action: .consent)
      if let refused = verifier.refusal(of: challenge, now: now),
        let refusal = parentCodeRefusal(refused, consent: consent, state: state)
      {
        return refusal
      }
      return gateTurn("parent.ask_code", values: values, state: state)
    case .newCode:
      guard consent.status == "pending" else { return gateTurn("parent.closed", values: values, state: state) }
      let sending = try sendParentCode(.parentalConsent, consent: consent, state: state, now: now)
      guard case .sent(let issued) = sending else {
        return parentSendingRefusal(sending, consent: consent, state: state)
      }
      state.pending = .parentCode(reference: reference, action: .consent)
      return gateTurn("parent.verify_again", values: values, state: state, events: [issued.delivery])
    case .review, .revoke, .delete:
      guard consent.parentContact != nil, ["verified", "pending", "revoked"].contains(consent.status) else {
        return gateTurn("parent.closed", values: values, state: state)
      }
      if state.parentVerified.contains(reference) {
        return try carryOut(action, consent: consent, state: &state, now: now)
      }
      // Whoever knows a reference is not yet the parent: prove it with a fresh code.
      let sending = try sendParentCode(.parentalControl, consent: consent, state: state, now: now)
      guard case .sent(let issued) = sending else {
        return parentSendingRefusal(sending, consent: consent, state: state)
      }
      state.pending = .parentCode(reference: reference, action: action)
      return gateTurn("parent.verify_again", values: values, state: state, events: [issued.delivery])
    }
  }

  /// Checks a code the parent typed.
  func checkCode(
    _ code: String, reference: String, action: ParentAction, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    guard let consent = try store.parentalConsent(reference: reference) else {
      return gateTurn("parent.unknown_reference", state: state)
    }
    if let refusal = sameParentAndChildRefusal(consent, state: state) { return refusal }
    let purpose: CodePurpose = action == .consent || action == .newCode ? .parentalConsent : .parentalControl
    let latest = try store.latestChallenge(reference: reference, purpose: purpose.rawValue)
    let check = try verifier.verify(
      code, against: latest, address: consent.parentContact, as: state.codeRequester, now: now)
    if let refusal = parentCodeRefusal(check, consent: consent, state: state) {
      state.pending = .parentCode(reference: reference, action: action)
      return refusal
    }
    state.parentVerified.insert(reference)
    guard action == .consent || action == .newCode else {
      return try carryOut(action, consent: consent, state: &state, now: now)
    }
    state.pending = .parentAgree(reference: reference)
    return gateTurn("parent.ask_agree", values: consentValues(consent), state: state)
  }

  /// A parent's code not taken (locked, expired, used, mistyped, a budget spent), as a
  /// turn; nil when it was verified.
  private func parentCodeRefusal(
    _ check: CodeCheck, consent: ParentalConsentRecord, state: SessionState
  ) -> (Turn, Trace)? {
    var values = consentValues(consent)
    switch check {
    case .verified:
      return nil
    case .missing:
      return gateTurn("parent.closed", values: values, state: state)
    case .locked(let code):
      let decision = makeDecision(
        .codeLocked, outcome: "locked", state: state,
        facts: ["reference": consent.reference, "tries": code.triesText])
      return gateTurn("parent.locked", values: values, state: state, decision: decision)
    case .expired(let code):
      let decision = makeDecision(
        .codeExpired, outcome: "expired", state: state,
        facts: ["reference": consent.reference, "expiredAt": UTCDate.iso8601(code.record.expiresAt)])
      return gateTurn("parent.expired", values: values, state: state, decision: decision)
    case .budgetSpent(let refusal):
      return codeBudgetTurn(refusal, kind: .parentalCodeBudget, intent: "parent.code_budget", state: state)
    case .wrong(let remaining):
      values["tries"] = remaining == 1 ? "1 more try" : "\(remaining) more tries"
      return gateTurn("parent.code_wrong", values: values, state: state)
    }
  }

  /// The parent's explicit yes or no, after the code and after seeing the scope: the
  /// second step of `email_plus`.
  func confirmParentalConsent(
    reference: String, agree: Bool, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    guard var consent = try store.parentalConsent(reference: reference) else {
      throw .invalidInput(field: "reference", reason: "the reference of a consent request")
    }
    guard consent.status == "pending" else {
      return gateTurn("parent.closed", values: consentValues(consent), state: state)
    }
    guard state.parentVerified.contains(reference) else {
      state.pending = .parentCode(reference: reference, action: .consent)
      return gateTurn("parent.code_first", values: consentValues(consent), state: state)
    }
    guard agree else {
      consent.status = "refused"
      consent.parentContact = nil
      consent.endedAt = now
      try store.saveParentalConsent(consent)
      try deleteChildData(
        sessionId: consent.childSessionId, deviceHash: nil, reference: reference,
        reason: "parental consent refused: the parent's address and the child's data deleted", now: now)
      updateChildSession(consent.childSessionId, status: "refused", scope: consent.detail)
      return gateTurn("parent.refused", values: consentValues(consent), state: state)
    }
    return try verify(&consent, method: "email_plus", hostMethod: nil, state: &state, now: now)
  }

  /// The host verified the parent its own way (card, ID document, video call, signed form).
  func hostVerified(
    reference: String, method: String, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    guard gates.hostMethods[method] != nil else {
      throw .invalidInput(
        field: "method", reason: "one of " + gates.hostMethods.keys.sorted().joined(separator: ", "))
    }
    guard var consent = try store.parentalConsent(reference: reference) else {
      throw .invalidInput(field: "reference", reason: "the reference of a consent request")
    }
    // The host's word about a parent is never taken in the child's own conversation or on
    // the child's device: there, it could only be the child (or a page the child uses).
    if let refusal = sameParentAndChildRefusal(consent, state: state) { return refusal }
    guard consent.status == "pending" else {
      return gateTurn("parent.closed", values: consentValues(consent), state: state)
    }
    return try verify(&consent, method: "host_verified", hostMethod: method, state: &state, now: now)
  }

  private func verify(
    _ consent: inout ParentalConsentRecord, method: String, hostMethod: String?, state: inout SessionState,
    now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    consent.status = "verified"
    consent.method = method
    consent.hostMethod = hostMethod
    consent.verifiedAt = now
    consent.verifiedBySession = state.id
    consent.policyVersion = knowledge.policy.version
    try store.saveParentalConsent(consent)
    state.parentVerified.insert(consent.reference)
    updateChildSession(consent.childSessionId, status: "verified", scope: consent.detail)
    var data = ["reference": consent.reference, "method": method, "purpose": "parental_consent"]
    if let contact = consent.parentContact { data["to"] = contact }
    if let hostMethod { data["hostMethod"] = hostMethod }
    // The confirmation message the host sends the parent: the "plus" of email plus, and a
    // record in the parent's inbox of what they agreed to.
    let event = TurnEvent(type: "parental_consent.confirmed", data: data)
    return gateTurn("parent.verified", values: consentValues(consent), state: state, events: [event])
  }

  /// Review, revoke or delete, for a parent who proved they hold the code.
  private func carryOut(
    _ action: ParentAction, consent: ParentalConsentRecord, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    var consent = consent
    var values = consentValues(consent)
    switch action {
    case .review, .consent, .newCode:
      values["held"] =
        consent.status == "verified" || consent.status == "pending"
        ? "this consent record (your e-mail address, what you agreed to, when and how); your child's conversations are never kept"
        : "only this consent record"
      switch consent.status {
      case "verified", "pending":
        values["next"] = composer.templateReply("parent.next_active")
        state.pending = .parentFollowUp(reference: consent.reference)
      case "revoked":
        values["next"] = composer.templateReply("parent.next_revoked")
        state.pending = .parentFollowUp(reference: consent.reference)
      default:
        values["next"] = ""
      }
      return gateTurn("parent.review_result", values: values, state: state)
    case .revoke:
      let contact = consent.parentContact
      if consent.status != "revoked" {
        consent.status = "revoked"
        consent.endedAt = now
        try store.saveParentalConsent(consent)
        updateChildSession(consent.childSessionId, status: "revoked", scope: consent.detail)
      }
      let deleted = try deleteChildData(
        sessionId: consent.childSessionId, deviceHash: nil, reference: consent.reference,
        reason: "parental consent revoked", now: now)
      values["deleted"] = "What was kept about your child under it has been deleted (\(rows(deleted)))."
      return gateTurn(
        "parent.revoked", values: values, state: state,
        events: [confirmation("parental_consent.revoked", consent: consent, to: contact)])
    case .delete:
      let contact = consent.parentContact
      // The device's under-age answer stays: it holds no data about the child but a keyed
      // hash, and without it the child could answer the screen again as an adult.
      let deleted = try deleteChildData(
        sessionId: consent.childSessionId, deviceHash: nil, reference: consent.reference,
        reason: "parent's deletion request", now: now)
      updateChildSession(consent.childSessionId, status: "deleted", scope: consent.detail)
      consent.status = "deleted"
      consent.parentContact = nil
      consent.childSessionId = nil
      consent.childDeviceHash = nil
      consent.endedAt = consent.endedAt ?? now
      try store.saveParentalConsent(consent)
      values["deleted"] = rows(deleted) + ", and the consent request's own details"
      return gateTurn(
        "parent.deleted", values: values, state: state,
        events: [confirmation("parental_consent.deleted", consent: consent, to: contact)])
    }
  }

  /// An event asking the host to confirm a parent's action to the parent's address.
  private func confirmation(_ type: String, consent: ParentalConsentRecord, to contact: String?) -> TurnEvent {
    var data = ["reference": consent.reference]
    if let contact { data["to"] = contact }
    return TurnEvent(type: type, data: data)
  }

  private func rows(_ count: Int) -> String {
    count == 1 ? "1 stored record" : "\(count) stored records"
  }

  /// A new code for a consent's parent, unless the reference's day of codes or a budget
  /// is spent. The parent is never taken for the address's owner: codes to a parent all
  /// count against what strangers may ask for.
  private func sendParentCode(
    _ purpose: CodePurpose, consent: ParentalConsentRecord, state: SessionState, now: Date
  ) throws(EngineError) -> CodeSending {
    try verifier.send(
      purpose, for: .existing(consent.reference), to: consent.parentContact, as: state.codeRequester, owner: false,
      policy: gates.codePolicy, now: now)
  }

  /// A parent's code not sent, as a turn.
  private func parentSendingRefusal(
    _ sending: CodeSending, consent: ParentalConsentRecord?, state: SessionState
  ) -> (Turn, Trace) {
    switch sending {
    case .limited(let refusal):
      codeLimitTurn(
        refusal, kind: .codeLimit, intent: "parent.code_limit", values: consentValues(consent), state: state)
    case .budgetSpent(let refusal):
      codeBudgetTurn(refusal, kind: .parentalCodeBudget, intent: "parent.code_budget", state: state)
    case .sent:
      gateTurn("parent.closed", values: consentValues(consent), state: state)
    }
  }

  /// The refusal of a parent's step taken in the child's own session or on its device.
  private func sameParentAndChildRefusal(_ consent: ParentalConsentRecord, state: SessionState) -> (Turn, Trace)? {
    guard isChildOf(consent, state: state) else { return nil }
    let decision = makeDecision(
      .sameParentAndChild, outcome: "refused", state: state,
      facts: [
        "reference": consent.reference,
        "where": consent.childSessionId == state.id ? "the child's own session" : "the child's device",
      ])
    return gateTurn("parent.same_person", state: state, decision: decision)
  }

  /// A code is not for the child: not in the child's own session, nor on the child's device.
  private func isChildOf(_ consent: ParentalConsentRecord, state: SessionState) -> Bool {
    if consent.childSessionId == state.id { return true }
    guard let device = state.deviceHash else { return false }
    return consent.childDeviceHash == device
  }

  /// Tells the child's open session, if any, where its consent now stands.
  private func updateChildSession(_ sessionId: String?, status: String, scope: String?) {
    guard let sessionId else { return }
    sessions.post(.parentalConsent(status: status, scope: scope)) { $0.id == sessionId }
  }

  /// The placeholders of a consent's replies.
  func consentValues(_ consent: ParentalConsentRecord?) -> [String: String] {
    guard let consent else { return [:] }
    let right =
      consent.detail.map {
        $0.replacingOccurrences(of: "request.", with: "").replacingOccurrences(of: "_", with: " ")
      } ?? "of any kind"
    let scopeTemplate = gates.scopes[consent.scope] ?? consent.scope
    var values = [
      "reference": consent.reference, "status": consent.status,
      "scope": composer.render(scopeTemplate, values: ["right": right]),
      "digits": String(gates.codeDigits), "lifetime": gates.codeLifetimeText,
      "contact_masked": consent.parentContact.map(GateAnswers.masked) ?? "the address given",
      "method": methodText(consent),
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
  private func methodText(_ consent: ParentalConsentRecord) -> String {
    switch consent.method {
    case "email_plus": "e-mail plus: \(gates.emailPlus)"
    case "host_verified":
      "the host application: \(consent.hostMethod.flatMap { gates.hostMethods[$0] } ?? consent.hostMethod ?? "its own check")"
    default: "not yet verified"
    }
  }

  /// The method in a few words, for a review.
  private func methodName(_ consent: ParentalConsentRecord) -> String {
    switch consent.method {
    case "email_plus": "e-mail plus"
    case "host_verified": "the host application (\(consent.hostMethod ?? "its own check"))"
    default: "no method yet"
    }
  }
}
