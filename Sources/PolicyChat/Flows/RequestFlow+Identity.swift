import Foundation

/// The one-time code that proves a request's person holds the address they gave, and what
/// a right code opens: the data subject found or made, this session and device linked to
/// it, and what the right asks next. The verifier writes its codes, tries and budgets in
/// transactions of its own (FlowContext+Parental); every other write is an effect.
extension RequestFlow {
  /// The answer to "type the code": the code, a request for a new one, or a try at one.
  func codeAnswer(
    _ message: String, normalized: String, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome {
    let settings = context.requestSettings
    if let code = GateAnswers.code(in: message, digits: settings.codeDigits) {
      return try checkCode(code, context: context, state: &state)
    }
    if context.understanding.ruleIntent(normalized) == "parent.new_code" {
      let sent = try Self.sendCode(draft, retry: self, context: context, state: state)
      // Refused (a budget): the code in hand still works.
      guard case .reply(var reply, .flow(let next as RequestFlow)?) = sent, next.draft.challenge != draft.challenge
      else { return sent }
      if let old = draft.challenge { try context.verifier.replace(challengeId: old) }
      reply.insert(FlowReply("request.new_code"))
      return .reply(reply, waiting: .flow(next))
    }
    guard message.contains(where: \.isNumber) || GateAnswers.wordCount(normalized) <= 3 else { return .decline }
    return .reply(
      FlowReply("request.ask_code_again", values: Self.values(draft, context: context)), waiting: .flow(self))
  }

  /// A one-time code to the address the person gave, handed to the host to deliver; when a
  /// budget is spent, the refusal, and the flow waits on at `retry`.
  static func sendCode(
    _ draft: RequestDraft, retry: RequestFlow, context: FlowContext, state: SessionState
  ) throws(EngineError) -> FlowOutcome {
    guard let email = draft.email else { return .reply(FlowReply("request.cancelled"), waiting: nil) }
    let verifier = context.verifier
    let random = context.random
    let owner = try verifier.isOwner(of: try context.subject(email: email)?.id, state.codeRequester)
    let sending = try verifier.send(
      .identity, for: .new({ "IV-" + random.hexString(count: 8) }), to: email, as: state.codeRequester,
      owner: owner, policy: context.requestSettings.codePolicy, now: context.now)
    guard case .sent(let issued) = sending else {
      return .reply(sendingRefusal(sending, context: context, state: state), waiting: .flow(retry))
    }
    var sent = draft
    sent.challenge = issued.challengeId
    return .reply(
      FlowReply("request.code_sent", values: values(sent, context: context), events: [issued.delivery]),
      waiting: .flow(RequestFlow(draft: sent, question: .code)))
  }

  /// An identity code not sent, as a reply.
  static func sendingRefusal(_ sending: CodeSending, context: FlowContext, state: SessionState) -> FlowReply {
    switch sending {
    case .limited(let refusal):
      context.codeLimitReply(
        refusal, kind: .verificationCodeLimit, intent: "request.code_limit", values: [:], state: state)
    case .budgetSpent(let refusal):
      context.codeBudgetReply(refusal, kind: .verificationCodeBudget, intent: "request.code_budget", state: state)
    case .sent:
      FlowReply("request.cancelled")
    }
  }

  /// Checks an identity code sent to `address`; nil when it is right, else the reply that
  /// says why not. The flow waits on at `retry`: "send a new code" then works without
  /// starting again.
  static func codeRefusal(
    _ code: String, challengeId: String, address: String?, retry: any Flow, context: FlowContext,
    state: SessionState
  ) throws(EngineError) -> FlowOutcome? {
    guard let challenge = try context.challenge(id: challengeId) else {
      return .reply(FlowReply("request.cancelled"), waiting: nil)
    }
    let check = try context.verifier.verify(
      code, against: challenge, address: address, as: state.codeRequester, now: context.now)
    let waiting = PendingStep.flow(retry)
    switch check {
    case .verified:
      return nil
    case .missing:
      return .reply(FlowReply("request.cancelled"), waiting: waiting)
    case .locked(let held):
      let decision = context.decision(
        .verificationLocked, outcome: "locked", state: state,
        facts: ["reference": held.record.reference, "tries": held.triesText])
      return .reply(FlowReply("request.code_locked", decision: decision), waiting: waiting)
    case .expired(let held):
      let decision = context.decision(
        .verificationExpired, outcome: "expired", state: state,
        extra: ["lifetime": minutes(context.requestSettings.codeLifetime)],
        facts: ["reference": held.record.reference, "expiredAt": UTCDate.iso8601(held.record.expiresAt)])
      return .reply(FlowReply("request.code_expired", decision: decision), waiting: waiting)
    case .budgetSpent(let refusal):
      return .reply(
        context.codeBudgetReply(refusal, kind: .verificationCodeBudget, intent: "request.code_budget", state: state),
        waiting: waiting)
    case .wrong(let remaining):
      return .reply(
        FlowReply("request.code_wrong", values: ["tries": remaining == 1 ? "1 more try" : "\(remaining) more tries"]),
        waiting: waiting)
    }
  }

  /// A code typed for the address given: when right, the person is the holder of that
  /// address and this session is theirs.
  private func checkCode(_ code: String, context: FlowContext, state: inout SessionState) throws(EngineError)
    -> FlowOutcome
  {
    guard let challengeId = draft.challenge, let email = draft.email else {
      return .reply(FlowReply("request.cancelled"), waiting: nil)
    }
    if let refusal = try Self.codeRefusal(
      code, challengeId: challengeId, address: email, retry: self, context: context, state: state)
    {
      return refusal
    }
    var verified = draft
    let subject: DataSubjectRecord
    if let known = try context.subject(email: email) {
      subject = known
    } else {
      subject = DataSubjectRecord(
        id: "ds-" + context.random.hexString(count: 16), email: email, createdAt: context.now, restricted: false,
        erasedAt: nil)
      state.effect(.saveSubject(subject))
      verified.createdSubject = true
    }
    verified.linkedDevice = try context.subject(linkedTo: state.subject)?.id != subject.id
    let keys = [state.subject, "session:" + state.id]
    for key in keys { state.effect(.link(subjectId: subject.id, key: key)) }
    if subject.restricted { state.restricted = true }
    state.subjectId = subject.id
    verified.subjectId = subject.id
    var notes = FlowReply("request.verified")
    notes.append(FlowReply(parts: try Self.rejectionNotices(subjectId: subject.id, context: context, state: &state)))
    switch context.requestSettings.right(draft.type)?.fulfilment.asks ?? .nothing {
    case .confirmation:
      // Read before this turn's links are written, as it will be once they are.
      let held = try context.heldOnceLinked(subject, keys: keys)
      var reply = FlowReply(
        "request.confirm_" + draft.type, values: HeldSummary.values(held, consentCatalog: context.consentCatalog))
      reply.insert(notes)
      return .reply(reply, waiting: .flow(RequestFlow(draft: verified, question: .confirmation)))
    case .details:
      var reply = FlowReply("request.ask_details_" + draft.type)
      reply.insert(notes)
      return .reply(reply, waiting: .flow(RequestFlow(draft: verified, question: .details)))
    case .nothing:
      return fulfil(verified, context: context, before: notes)
    }
  }

  /// Rejections the subject has not been told of yet, told now (and marked as told).
  static func rejectionNotices(
    subjectId: String, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> [FlowReply.Part] {
    var notes: [FlowReply.Part] = []
    for request in RejectionNotices.untold(try context.requests(of: subjectId)) {
      notes.append(
        FlowReply.Part(
          template: "request.rejected_notice",
          values: RejectionNotices.values(request, settings: context.requestSettings)))
      let (told, audit) = RejectionNotices.told(request, at: context.now)
      state.effect(.requestTold(told))
      state.effect(.audit(audit))
    }
    return notes
  }
}
