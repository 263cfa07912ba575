import Foundation

/// "What's the status of RQ-7F3K2P?": a code to the address on record first, since whoever
/// holds a reference may not be its owner; then the request's status, deadline and outcome.
struct RequestStatusFlow: Flow {
  let reference: String
  /// The challenge of the code sent for it.
  let challenge: String

  var waitsOnCode: Bool { true }

  func step(_ input: FlowInput, context: FlowContext, state: inout SessionState) throws(EngineError) -> FlowOutcome {
    switch input {
    case .text(let message, let normalized):
      return try answer(message, normalized: normalized, context: context, state: &state)
    case .action(.requestAnswer("code", let value)):
      return try answer(value, normalized: TextNormalizer.normalize(value), context: context, state: &state)
    case .action(.cancelRequest):
      return RequestFlow.cancelled(nil, how: "by protocol", context: context, state: &state)
    case .action:
      return .decline
    }
  }

  /// Sends the code for `reference`, or says there is no such request.
  static func start(_ reference: String, context: FlowContext, state: SessionState) throws(EngineError)
    -> FlowOutcome
  {
    guard let request = try context.request(reference: reference),
      let subject = try context.subject(id: request.subjectId), let email = subject.email
    else {
      // An erasure's tombstone answers as if it never was: telling whoever holds the
      // reference that, and when, someone erased everything is itself a disclosure.
      return .reply(FlowReply("request.unknown_reference", values: ["reference": reference]), waiting: nil)
    }
    // The owner's own device is not held to what strangers holding the reference spent.
    let owner = try context.verifier.isOwner(of: request.subjectId, state.codeRequester)
    let sending = try context.verifier.send(
      .identity, for: .existing(reference), to: email, as: state.codeRequester, owner: owner,
      policy: context.requestSettings.codePolicy, now: context.now)
    guard case .sent(let issued) = sending else {
      return .reply(RequestFlow.sendingRefusal(sending, context: context, state: state), waiting: nil)
    }
    // Not even the masked address: whoever holds a reference may not be its owner.
    return .reply(
      FlowReply("request.status_code_sent", values: ["reference": reference], events: [issued.delivery]),
      waiting: .flow(RequestStatusFlow(reference: reference, challenge: issued.challengeId)))
  }

  private func answer(
    _ message: String, normalized: String, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome {
    if context.catalog.cue("cancel", matches: normalized) {
      return RequestFlow.cancelled(nil, how: "in chat", context: context, state: &state)
    }
    if context.understanding.ruleIntent(normalized) == "parent.new_code" {
      let sent = try Self.start(reference, context: context, state: state)
      guard case .reply(let reply, .flow(let fresh as RequestStatusFlow)?) = sent, fresh.challenge != challenge else {
        // Refused (a limit or a budget): the code in hand still works.
        if case .reply(let reply, _) = sent { return .reply(reply, waiting: .flow(self)) }
        return sent
      }
      try context.verifier.replace(challengeId: challenge)
      return .reply(reply, waiting: .flow(fresh))
    }
    guard let code = GateAnswers.code(in: message, digits: context.requestSettings.codeDigits) else {
      guard message.contains(where: \.isNumber) else { return .decline }
      return .reply(
        FlowReply("request.ask_code_again", values: ["contact_masked": "the address on record"]), waiting: .flow(self))
    }
    return try check(code, context: context, state: &state)
  }

  private func check(_ code: String, context: FlowContext, state: inout SessionState) throws(EngineError)
    -> FlowOutcome
  {
    var address: String?
    if let request = try context.request(reference: reference) {
      address = try context.subject(id: request.subjectId)?.email
    }
    if let refusal = try RequestFlow.codeRefusal(
      code, challengeId: challenge, address: address, retry: self, context: context, state: state)
    {
      return refusal
    }
    guard var request = try context.request(reference: reference) else {
      return .reply(FlowReply("request.unknown_reference", values: ["reference": reference]), waiting: nil)
    }
    let now = context.now
    state.effect(.link(subjectId: request.subjectId, key: state.subject))
    var values = Self.values(request, settings: context.requestSettings)
    if request.status == "rejected" {
      values["outcome"] =
        "Reasons: \(request.outcome ?? "none given"). You can complain to "
        + context.requestSettings.complaintRoute(for: request.country) + "."
      request.notifiedAt = request.notifiedAt ?? now
      state.effect(.requestTold(request))
    }
    state.effect(
      .audit(
        AuditRecord(at: now, actor: "subject", action: "status looked up", reference: reference, detail: request.status)
      ))
    return .reply(
      FlowReply(request.status == "open" ? "request.status" : "request.status_closed", values: values), waiting: nil)
  }

  /// The placeholders of a status reply.
  private static func values(_ request: RequestRecord, settings: RequestSettings) -> [String: String] {
    var values = [
      "reference": request.reference, "title": settings.types[request.type]?.title ?? request.type,
      "status": request.status, "received": UTCDate.day(request.receivedAt),
      "due": UTCDate.day(request.extendedAt ?? request.dueAt),
      "regime": settings.regimes[request.regime]?.name ?? request.regime,
    ]
    values["extension"] = request.extensionReason.map { " (extended: \($0))" } ?? ""
    values["outcome"] = request.outcome.map { "Outcome: \($0)." } ?? ""
    values["closed"] = request.closedAt.map(UTCDate.day) ?? ""
    return values
  }
}
