import Foundation

/// Rights requests as flows (knowledge/requests.yaml): the age screen, the person's e-mail
/// address, a one-time code through the host, then the request with its reference and legal
/// deadline, carried out at once where the engine can.
extension Engine {
  /// A request intent passed the age screen: say what it will do and ask for the address.
  func startRequest(_ action: GatedAction, state: inout SessionState) -> (Turn, Trace) {
    let type = String(action.intent.dropFirst("request.".count))
    state.pending = .requestEmail(RequestDraft(type: type))
    var replies = action.sources.isEmpty ? [] : Array(action.replies.prefix(1))
    let does = requestSettings.types[type]?.does ?? "take your request"
    let prompt = composer.templateReply(action.intent)
    // Human review explains itself; the other requests say what they will do first.
    replies.append(
      Reply(text: type == "human_review" ? prompt : "I can take this request now: I'll \(does). " + prompt))
    if type == "human_review", let decision = state.lastDecision {
      replies.append(Reply(text: "That includes my last automated decision: \(decision.rule ?? decision.kind)."))
    }
    let turn = Turn(
      sessionId: state.id, intent: action.intent, confidence: 1, replies: replies, sources: action.sources,
      state: state.snapshot)
    return (turn, action.trace)
  }

  /// The next step of a request being taken, or nil when the message is about something else.
  func continueRequest(
    _ step: PendingStep, message: String, normalized: String, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace)? {
    if catalog.cue("cancel", matches: normalized) {
      try discard(step, state: &state, now: now, how: "in chat")
      return gateTurn("request.cancelled", state: state)
    }
    switch step {
    case .requestEmail(var draft):
      guard let email = GateAnswers.email(in: message) else {
        guard message.contains("@") else { return nil }
        state.pending = step
        return gateTurn("request.ask_email_again", state: state)
      }
      draft.email = email
      return try sendIdentityCode(&draft, retry: step, state: &state, now: now)
    case .requestCode(let draft):
      if let code = GateAnswers.code(in: message, digits: requestSettings.codeDigits) {
        return try checkIdentityCode(code, draft: draft, state: &state, now: now)
      }
      if understanding.ruleIntent(normalized) == "parent.new_code" {
        var fresh = draft
        var (turn, trace) = try sendIdentityCode(&fresh, retry: step, state: &state, now: now)
        // Refused (a budget): the code in hand still works.
        guard fresh.challenge != draft.challenge else { return (turn, trace) }
        if let old = draft.challenge { try verifier.replace(challengeId: old) }
        turn.replies.insert(Reply(text: composer.templateReply("request.new_code")), at: 0)
        return (turn, trace)
      }
      guard message.contains(where: \.isNumber) || GateAnswers.wordCount(normalized) <= 3 else { return nil }
      state.pending = step
      return gateTurn("request.ask_code_again", values: requestValues(draft), state: state)
    case .requestDetails(var draft):
      draft.details = message
      return try createRequest(draft, state: &state, now: now)
    case .requestConfirm(let draft):
      if catalog.cue("yes", matches: normalized) { return try createRequest(draft, state: &state, now: now) }
      if catalog.cue("no", matches: normalized) {
        try discard(step, state: &state, now: now, how: "\(draft.type) not confirmed")
        return gateTurn("request.cancelled", state: state)
      }
      state.pending = step
      return gateTurn("request.confirm_again", state: state)
    case .statusCode(let reference, let challengeId):
      if understanding.ruleIntent(normalized) == "parent.new_code" {
        let result = try requestStatus(reference, state: &state, now: now)
        guard case .statusCode(_, let fresh)? = state.pending, fresh != challengeId else {
          // Refused (a limit or a budget): the code in hand still works.
          state.pending = step
          return result
        }
        try verifier.replace(challengeId: challengeId)
        return result
      }
      guard let code = GateAnswers.code(in: message, digits: requestSettings.codeDigits) else {
        guard message.contains(where: \.isNumber) else { return nil }
        state.pending = step
        return gateTurn("request.ask_code_again", values: ["contact_masked": "the address on record"], state: state)
      }
      return try checkStatusCode(code, reference: reference, challengeId: challengeId, state: &state, now: now)
    default:
      return nil
    }
  }

  /// A flow stopped: nothing it made is kept, but the audit note that it was cancelled.
  func discard(_ step: PendingStep, state: inout SessionState, now: Date, how: String) throws(EngineError) {
    var draft: RequestDraft?
    switch step {
    case .requestDetails(let held), .requestConfirm(let held): draft = held
    default: break
    }
    if let draft, let subjectId = draft.subjectId {
      if draft.createdSubject {
        try store.deleteSubject(id: subjectId)
      } else {
        try store.unlink(subjectId: subjectId, key: "session:" + state.id)
        if draft.linkedDevice { try store.unlink(subjectId: subjectId, key: state.subject) }
      }
      state.subjectId = nil
      reclaimDeletedSpace()
    }
    try store.audit(
      AuditRecord(at: now, actor: "subject", action: "request flow cancelled", reference: nil, detail: how))
  }

  /// A one-time code to the address the person gave, handed to the host to deliver; when a
  /// budget is spent, the refusal, and the flow waits on at `retry`.
  private func sendIdentityCode(
    _ draft: inout RequestDraft, retry: PendingStep, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    guard let email = draft.email else { return gateTurn("request.cancelled", state: state) }
    let owner = try verifier.isOwner(of: try store.subject(email: email)?.id, state.codeRequester)
    let sending = try verifier.send(
      .identity, for: .new({ "IV-" + self.random.hexString(count: 8) }), to: email, as: state.codeRequester,
      owner: owner, policy: requestSettings.codePolicy, now: now)
    guard case .sent(let issued) = sending else {
      state.pending = retry
      return identitySendingRefusal(sending, state: state)
    }
    draft.challenge = issued.challengeId
    state.pending = .requestCode(draft)
    return gateTurn("request.code_sent", values: requestValues(draft), state: state, events: [issued.delivery])
  }

  /// An identity code not sent, as a turn.
  private func identitySendingRefusal(_ sending: CodeSending, state: SessionState) -> (Turn, Trace) {
    switch sending {
    case .limited(let refusal):
      codeLimitTurn(refusal, kind: .verificationCodeLimit, intent: "request.code_limit", values: [:], state: state)
    case .budgetSpent(let refusal):
      codeBudgetTurn(refusal, kind: .verificationCodeBudget, intent: "request.code_budget", state: state)
    case .sent:
      gateTurn("request.cancelled", state: state)
    }
  }

  /// Checks an identity code sent to `address`; nil when it is right, else the turn that
  /// says why not.
  private func refuseIdentityCode(
    _ code: String, challengeId: String, address: String?, retry: PendingStep, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace)? {
    guard let challenge = try store.challenge(id: challengeId) else {
      return gateTurn("request.cancelled", state: state)
    }
    let check = try verifier.verify(code, against: challenge, address: address, as: state.codeRequester, now: now)
    // The flow waits on: "send a new code" then works without starting again.
    state.pending = retry
    switch check {
    case .verified:
      state.pending = nil
      return nil
    case .missing:
      return gateTurn("request.cancelled", state: state)
    case .locked(let held):
      let decision = makeDecision(
        .verificationLocked, outcome: "locked", state: state,
        facts: ["reference": held.record.reference, "tries": held.triesText])
      return gateTurn("request.code_locked", state: state, decision: decision)
    case .expired(let held):
      let decision = makeDecision(
        .verificationExpired, outcome: "expired", state: state,
        extra: ["lifetime": Self.minutes(requestSettings.codeLifetime)],
        facts: ["reference": held.record.reference, "expiredAt": UTCDate.iso8601(held.record.expiresAt)])
      return gateTurn("request.code_expired", state: state, decision: decision)
    case .budgetSpent(let refusal):
      return codeBudgetTurn(refusal, kind: .verificationCodeBudget, intent: "request.code_budget", state: state)
    case .wrong(let remaining):
      return gateTurn(
        "request.code_wrong", values: ["tries": remaining == 1 ? "1 more try" : "\(remaining) more tries"],
        state: state)
    }
  }

  private func checkIdentityCode(
    _ code: String, draft: RequestDraft, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    guard let challengeId = draft.challenge, let email = draft.email else {
      return gateTurn("request.cancelled", state: state)
    }
    if let refusal = try refuseIdentityCode(
      code, challengeId: challengeId, address: email, retry: .requestCode(draft), state: &state, now: now)
    {
      return refusal
    }
    // Verified: the person is the holder of this address, and this session is theirs.
    var verified = draft
    let subject: DataSubjectRecord
    if let known = try store.subject(email: email) {
      subject = known
    } else {
      subject = DataSubjectRecord(
        id: "ds-" + random.hexString(count: 16), email: email, createdAt: now, restricted: false, erasedAt: nil)
      try store.saveSubject(subject)
      verified.createdSubject = true
    }
    verified.linkedDevice = try store.subject(linkedTo: state.subject)?.id != subject.id
    try store.link(subjectId: subject.id, key: state.subject)
    try store.link(subjectId: subject.id, key: "session:" + state.id)
    if subject.restricted { state.restricted = true }
    state.subjectId = subject.id
    verified.subjectId = subject.id
    var notes = try rejectionNotices(subjectId: subject.id, now: now)
    let next: (Turn, Trace)
    switch requestSettings.right(draft.type)?.fulfilment.asks ?? .nothing {
    case .confirmation:
      state.pending = .requestConfirm(verified)
      let held = try store.subjectExport(subjectId: subject.id, at: now)
      next = gateTurn("request.confirm_" + draft.type, values: heldSummary(held), state: state)
    case .details:
      state.pending = .requestDetails(verified)
      next = gateTurn("request.ask_details_" + draft.type, state: state)
    case .nothing:
      next = try createRequest(verified, state: &state, now: now)
    }
    var (turn, trace) = next
    notes.insert(Reply(text: composer.templateReply("request.verified")), at: 0)
    turn.replies.insert(contentsOf: notes, at: 0)
    return (turn, trace)
  }

  /// Creates the verified request with its reference and deadline, and carries it out
  /// where the engine can.
  private func createRequest(
    _ draft: RequestDraft, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    // One transaction: a process killed part-way must not leave a request recorded but not
    // carried out (an erasure open with nothing erased) or carried out but not recorded.
    var updated = state
    let (made, deletedRecords) = try store.atomically { () throws(EngineError) -> ((Turn, Trace), Bool) in
      try makeRequest(draft, state: &updated, now: now)
    }
    state = updated
    if deletedRecords { reclaimDeletedSpace() }
    return made
  }

  /// The request recorded and carried out by its right's fulfilment, or left open for the
  /// privacy officer; and whether records were deleted.
  private func makeRequest(
    _ draft: RequestDraft, state: inout SessionState, now: Date
  ) throws(EngineError) -> ((Turn, Trace), Bool) {
    guard let subjectId = draft.subjectId, let right = requestSettings.right(draft.type) else {
      return (gateTurn("request.cancelled", state: state), false)
    }
    let regime = requestSettings.regime(for: state.country)
    let reference = random.reference(prefix: "RQ-")
    let details = right.fulfilment.recordedDetails(draft.details, state: state, engine: self)
    // What is held, as it was when the request came: not counting the request itself.
    let held =
      right.automatic && right.fulfilment.readsWhatIsHeld
      ? try store.subjectExport(subjectId: subjectId, at: now) : nil
    var request = RequestRecord(
      reference: reference, subjectId: subjectId, type: draft.type, status: "open", regime: regime.id,
      country: state.country, receivedAt: now, dueAt: regime.due(from: now), details: details)
    try store.saveRequest(request, sessionId: state.id)
    if let challenge = draft.challenge { try store.retag(challengeId: challenge, reference: reference) }
    try store.audit(
      AuditRecord(
        at: now, actor: "subject", action: "received", reference: reference,
        detail: "\(draft.type) under \(regime.id), due \(UTCDate.day(request.dueAt))"))
    let verified = RightRequest(
      reference: reference, subjectId: subjectId, details: draft.details, held: held, now: now)
    let done =
      right.automatic
      ? try right.fulfilment.carryOut(verified, state: &state, engine: self)
      : try right.fulfilment.passOn(verified, state: &state, engine: self)
    var values = [
      "reference": reference, "title": requestSettings.types[draft.type]?.title ?? draft.type,
      "due": UTCDate.day(request.dueAt), "regime": regime.name,
    ]
    values.merge(done.values) { _, given in given }
    if let outcome = done.outcome {
      request.outcome = outcome
      request.status = "completed"
      request.closedAt = now
      try store.saveRequest(request, sessionId: nil)
      try store.audit(AuditRecord(at: now, actor: "engine", action: "completed", reference: reference, detail: outcome))
    }
    var turn = gateTurn(done.intent, values: values, state: state, events: done.events)
    turn.0.state = state.snapshot
    return (turn, done.deletedRecords)
  }

  /// "What's the status of RQ-7F3K2P?": a code to the address on record first.
  func requestStatus(_ reference: String, state: inout SessionState, now: Date) throws(EngineError) -> (Turn, Trace) {
    guard let request = try store.request(reference: reference) else {
      return gateTurn("request.unknown_reference", values: ["reference": reference], state: state)
    }
    guard let subject = try store.subject(id: request.subjectId), let email = subject.email else {
      // An erasure's tombstone answers as if it never was: telling whoever holds the
      // reference that, and when, someone erased everything is itself a disclosure.
      return gateTurn("request.unknown_reference", values: ["reference": reference], state: state)
    }
    // The owner's own device is not held to what strangers holding the reference spent.
    let owner = try verifier.isOwner(of: request.subjectId, state.codeRequester)
    let sending = try verifier.send(
      .identity, for: .existing(reference), to: email, as: state.codeRequester, owner: owner,
      policy: requestSettings.codePolicy, now: now)
    guard case .sent(let issued) = sending else { return identitySendingRefusal(sending, state: state) }
    state.pending = .statusCode(reference: reference, challenge: issued.challengeId)
    // Not even the masked address: whoever holds a reference may not be its owner.
    return gateTurn(
      "request.status_code_sent", values: ["reference": reference], state: state, events: [issued.delivery])
  }

  private func checkStatusCode(
    _ code: String, reference: String, challengeId: String, state: inout SessionState, now: Date
  ) throws(EngineError) -> (Turn, Trace) {
    var address: String?
    if let request = try store.request(reference: reference) {
      address = try store.subject(id: request.subjectId)?.email
    }
    if let refusal = try refuseIdentityCode(
      code, challengeId: challengeId, address: address,
      retry: .statusCode(reference: reference, challenge: challengeId),
      state: &state, now: now)
    {
      return refusal
    }
    guard var request = try store.request(reference: reference) else {
      return gateTurn("request.unknown_reference", values: ["reference": reference], state: state)
    }
    try store.link(subjectId: request.subjectId, key: state.subject)
    var values = [
      "reference": reference, "title": requestSettings.types[request.type]?.title ?? request.type,
      "status": request.status, "received": UTCDate.day(request.receivedAt),
      "due": UTCDate.day(request.extendedAt ?? request.dueAt),
      "regime": requestSettings.regimes[request.regime]?.name ?? request.regime,
    ]
    values["extension"] = request.extensionReason.map { " (extended: \($0))" } ?? ""
    values["outcome"] = request.outcome.map { "Outcome: \($0)." } ?? ""
    values["closed"] = request.closedAt.map(UTCDate.day) ?? ""
    if request.status == "rejected" {
      values["outcome"] =
        "Reasons: \(request.outcome ?? "none given"). You can complain to "
        + requestSettings.complaintRoute(for: request.country) + "."
      request.notifiedAt = request.notifiedAt ?? now
      try store.saveRequest(request, sessionId: nil)
    }
    try store.audit(
      AuditRecord(at: now, actor: "subject", action: "status looked up", reference: reference, detail: request.status))
    return gateTurn(request.status == "open" ? "request.status" : "request.status_closed", values: values, state: state)
  }

  /// Rejections the subject has not been told of yet, told now (and marked as told).
  func rejectionNotices(subjectId: String, now: Date) throws(EngineError) -> [Reply] {
    var notes: [Reply] = []
    for var request in try store.requests(RequestFilter(subjectId: subjectId))
    where request.status == "rejected" && request.notifiedAt == nil {
      notes.append(
        Reply(
          text: composer.templateReply(
            "request.rejected_notice",
            values: [
              "reference": request.reference, "title": requestSettings.types[request.type]?.title ?? request.type,
              "reason": request.outcome ?? "no reason given",
              "route": requestSettings.complaintRoute(for: request.country),
            ])))
      request.notifiedAt = now
      try store.saveRequest(request, sessionId: nil)
      try store.audit(
        AuditRecord(at: now, actor: "engine", action: "rejection told", reference: request.reference, detail: ""))
    }
    return notes
  }

  /// What PolicyChat holds about a subject, in words, for an access summary or before erasure.
  func heldSummary(_ export: SubjectExport?) -> [String: String] {
    guard let export else { return ["summary": ""] }
    let turns = export.sessions.reduce(0) { $0 + $1.turns.count }
    let lines = export.sessions.reduce(0) { $0 + $1.transcript.count }
    let consents = export.sessions.flatMap(\.consents)
    var parts = [
      "your e-mail address (\(GateAnswers.masked(export.subject.email ?? "")))",
      "\(Self.count(export.sessions.count, "conversation")) with \(Self.count(turns, "turn record")) (times and topics, never what you typed)",
    ]
    if lines > 0 { parts.append("\(Self.count(lines, "kept message")) of conversations, redacted") }
    if !consents.isEmpty {
      let given = Set(consents.filter(\.granted).map(\.purpose)).sorted().map {
        consentCatalog.purpose($0)?.title.lowercased() ?? $0
      }
      parts.append(
        Self.count(consents.count, "consent record")
          + (given.isEmpty ? "" : " (given at some point: \(given.joined(separator: ", ")))"))
    }
    if !export.requests.isEmpty { parts.append(Self.count(export.requests.count, "earlier request")) }
    if export.subject.restricted { parts.append("a restriction of processing, in force") }
    return ["summary": parts.map { "- " + $0 }.joined(separator: "\n")]
  }

  private func requestValues(_ draft: RequestDraft) -> [String: String] {
    [
      "contact_masked": draft.email.map(GateAnswers.masked) ?? "your address",
      "lifetime": Self.minutes(requestSettings.codeLifetime), "digits": String(requestSettings.codeDigits),
    ]
  }

  /// A restriction put in force or lifted reaches the subject's open sessions at once.
  func restrictOpenSessions(of subjectId: String, _ restricted: Bool) {
    sessions.post(.restricted(restricted)) { $0.subjectId == subjectId }
  }

  /// "1 conversation", "3 conversations".
  static func count(_ number: Int, _ noun: String) -> String {
    "\(number) \(noun)\(number == 1 ? "" : "s")"
  }

  private static func minutes(_ interval: TimeInterval) -> String {
    let minutes = Int(interval / 60)
    return minutes == 1 ? "1 minute" : "\(minutes) minutes"
  }

}
