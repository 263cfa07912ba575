import Foundation

/// Issues and checks one-time codes for every purpose (identity, parents), over the store:
/// digits from the injected random source, a life, tries counted and locked, and the
/// budgets of knowledge/verification.yaml shared by all purposes.
struct Verifier: Sendable {
  let store: RecordKeeper
  let random: any RandomSource
  let budgets: CodeBudgets

  /// Sends a code for `reference` to `address` unless a limit or a budget is spent.
  /// `owner`: the requester was verified as the address's owner before; the owner is not
  /// held to a reference's limit, which bounds strangers who hold the reference, and spends
  /// an allowance of their own. No address (none on record): no budget is counted.
  func send(
    _ purpose: CodePurpose, for reference: CodeReference, to address: String?, as requester: CodeRequester,
    owner: Bool, policy: CodePolicy, now: Date
  ) throws(EngineError) -> CodeSending {
    if case .existing(let existing) = reference, !owner,
      let limited = try referenceLimit(existing, limit: policy.maxCodesPerDay, now: now)
    {
      return .limited(limited)
    }
    if let address, let spent = try spendSend(to: address, owner: owner, as: requester, now: now) {
      return .budgetSpent(spent)
    }
    let made: String
    switch reference {
    case .existing(let existing): made = existing
    case .new(let make): made = make()
    }
    return .sent(try issue(purpose, reference: made, to: address ?? "", policy: policy, now: now))
  }

  /// A new code, stored hashed; the code itself only goes into the delivery event.
  func issue(
    _ purpose: CodePurpose, reference: String, to address: String, policy: CodePolicy, now: Date
  ) throws(EngineError) -> IssuedCode {
    // Drawn in this order (code, salt, id) so that a seeded run replays byte for byte.
    let code = random.digits(count: policy.digits)
    let salt = random.hexString(count: 16)
    let id = "ch-" + random.hexString(count: 16)
    let issued = OneTimeCode(
      id: id, code: code, salt: salt, purpose: purpose, reference: reference, policy: policy, now: now)
    try store.saveChallenge(issued.record)
    let event = TurnEvent(
      type: "verification.send",
      data: [
        "channel": "email", "to": address, "code": code, "reference": reference, "purpose": purpose.rawValue,
        "expiresAt": UTCDate.iso8601(issued.record.expiresAt),
      ])
    return IssuedCode(challengeId: id, reference: reference, delivery: event)
  }

  /// Checks a typed code against `record`. A locked or spent code is refused before
  /// anything is counted; otherwise the try is counted against the address's wrong-guess
  /// budget before the comparison, right or wrong, so that racing processes cannot slip
  /// guesses between a check and a count.
  func verify(
    _ code: String, against record: ChallengeRecord?, address: String?, as requester: CodeRequester, now: Date
  ) throws(EngineError) -> CodeCheck {
    guard let record else { return .missing }
    var held = OneTimeCode(record)
    switch held.standing(at: now) {
    case .locked:
      return .locked(held)
    case .spent:
      if held.expire(at: now) { try store.saveChallenge(held.record) }
      return .expired(held)
    case .open:
      break
    }
    if let address, let spent = try spendTry(for: address, as: requester, now: now) {
      return .budgetSpent(spent)
    }
    let guess = held.guess(code)
    try store.saveChallenge(held.record)
    switch guess {
    case .right: return .verified
    case .wrong(let remaining): return .wrong(remaining: remaining)
    case .lockedOut: return .locked(held)
    }
  }

  /// The standing of the newest code before anything is typed: nil when it can be used.
  func refusal(of record: ChallengeRecord?, now: Date) -> CodeCheck? {
    guard let record else { return .missing }
    let held = OneTimeCode(record)
    switch held.standing(at: now) {
    case .locked: return .locked(held)
    case .spent: return .expired(held)
    case .open: return nil
    }
  }

  /// A newer code was sent: the one in hand stops working.
  func replace(challengeId: String) throws(EngineError) {
    guard let record = try store.challenge(id: challengeId) else { return }
    var held = OneTimeCode(record)
    if held.replace() { try store.saveChallenge(held.record) }
  }

  /// Whoever knows a reference can ask for codes to be sent to its owner: a day's codes
  /// per reference are capped, so that a stranger can neither flood the owner's mailbox
  /// nor guess code after code, each new code bringing fresh tries.
  func referenceLimit(_ reference: String, limit: Int, now: Date) throws(EngineError) -> CodeLimitRefusal? {
    let times = try store.challengesIssued(reference: reference, since: now.addingTimeInterval(-86_400))
    guard times.count >= limit else { return nil }
    // Codes go out again when enough of today's are a day old.
    return CodeLimitRefusal(
      reference: reference, limit: limit, after: times[times.count - limit].addingTimeInterval(86_400))
  }

  /// Whether the requester's session, or its device, was verified as the subject.
  func isOwner(of subjectId: String?, _ requester: CodeRequester) throws(EngineError) -> Bool {
    guard let subjectId else { return false }
    if requester.verifiedSubject == subjectId { return true }
    return try store.subject(linkedTo: requester.subjectKey)?.id == subjectId
  }
}
