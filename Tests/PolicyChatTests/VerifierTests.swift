import Foundation
import Testing

@testable import PolicyChat

/// The one-time code of every purpose: issued from the injected random source, good until
/// the instant it expires, locked after its tries, each try counted before the comparison,
/// and the budgets of knowledge/verification.yaml shared by identity and parents' codes.
@Suite struct VerifierTests {
  private let start = Date(timeIntervalSince1970: 1_796_000_000)
  private let policy = CodePolicy(digits: 6, lifetime: 600, maxAttempts: 3, maxCodesPerDay: 2)

  private func verifier(
    perAddress: Int = 10, perSession: Int = 10, wrongGuesses: Int = 10
  ) throws -> Verifier {
    Verifier(
      store: RecordKeeper(records: try SQLiteSessionStore(location: .inMemory), keys: ContactKeys(.inStore)),
      random: SeededRandomSource(seed: 7),
      budgets: CodeBudgets(
        window: 86_400, perAddress: perAddress, perOwnDevice: 10, perSession: perSession, perDevice: 10,
        wrongGuessesPerAddress: wrongGuesses))
  }

  private func requester(_ session: String = "s-1") -> CodeRequester {
    CodeRequester(sessionId: session, subjectKey: "session:" + session, deviceHash: nil, verifiedSubject: nil)
  }

  private func issue(
    _ verifier: Verifier, _ purpose: CodePurpose = .identity, to address: String = "thandi@example.org",
    session: String = "s-1", at now: Date
  ) throws -> IssuedCode {
    let sending = try verifier.send(
      purpose, for: .new({ "IV-TEST" }), to: address, as: requester(session), owner: false, policy: policy, now: now)
    guard case .sent(let issued) = sending else {
      Issue.record("not sent: \(sending)")
      throw CancellationError()
    }
    return issued
  }

  private func code(_ issued: IssuedCode) throws -> String {
    try #require(issued.delivery.data["code"])
  }

  private func record(_ verifier: Verifier, _ issued: IssuedCode) throws -> ChallengeRecord? {
    try verifier.store.challenge(id: issued.challengeId)
  }

  private func check(
    _ verifier: Verifier, _ guess: String, _ issued: IssuedCode, at now: Date
  ) throws -> CodeCheck {
    try verifier.verify(
      guess, against: try record(verifier, issued), address: "thandi@example.org", as: requester(), now: now)
  }

  /// A code that is not the one issued, whatever was.
  private func wrong(_ code: String) -> String {
    code == "000000" ? "111111" : "000000"
  }

  @Test func anIssuedCodeIsStoredOnlyAsASaltedHashAndDeliveredInAnEvent() throws {
    let verifier = try verifier()
    let issued = try issue(verifier, at: start)
    let stored = try #require(try record(verifier, issued))
    let code = try code(issued)
    #expect(code.count == 6 && code.allSatisfy(\.isNumber))
    #expect(stored.codeHash != code && stored.codeHash == Hashing.codeHash(code, salt: stored.salt))
    #expect(stored.status == "open" && stored.attempts == 0 && stored.maxAttempts == 3)
    #expect(stored.expiresAt == start.addingTimeInterval(600))
    #expect(issued.delivery.type == "verification.send")
    #expect(issued.delivery.data["purpose"] == "identity" && issued.delivery.data["reference"] == "IV-TEST")
  }

  @Test func aCodeWorksUpToTheInstantItExpiresButNotAtThatInstant() throws {
    let verifier = try verifier()
    let early = try issue(verifier, at: start)
    #expect(try check(verifier, try code(early), early, at: start.addingTimeInterval(599.999)) == .verified)
    #expect(try record(verifier, early)?.status == "used")

    let late = try issue(verifier, at: start)
    guard case .expired = try check(verifier, try code(late), late, at: start.addingTimeInterval(600)) else {
      Issue.record("a code at its expiry instant was not refused as expired")
      return
    }
    #expect(try record(verifier, late)?.status == "expired")
  }

  @Test func theLastWrongTryLocksTheCodeAndThenEvenTheRightOneIsRefused() throws {
    let verifier = try verifier()
    let issued = try issue(verifier, at: start)
    let right = try code(issued)
    #expect(try check(verifier, wrong(right), issued, at: start) == .wrong(remaining: 2))
    #expect(try check(verifier, wrong(right), issued, at: start) == .wrong(remaining: 1))
    guard case .locked(let locked) = try check(verifier, wrong(right), issued, at: start) else {
      Issue.record("the third wrong try did not lock the code")
      return
    }
    #expect(locked.triesText == "3 of 3")
    guard case .locked = try check(verifier, right, issued, at: start) else {
      Issue.record("a locked code took the right code")
      return
    }
    #expect(try record(verifier, issued)?.status == "locked")
  }

  @Test func everyTryIsCountedBeforeTheComparisonSoARightCodeIsRefusedOnceTheTriesAreSpent() throws {
    let verifier = try verifier(wrongGuesses: 2)
    // Issued first: once the tries are spent, no new code goes out either.
    let first = try issue(verifier, at: start)
    let second = try issue(verifier, at: start)
    let third = try issue(verifier, at: start)
    #expect(try check(verifier, wrong(try code(first)), first, at: start) == .wrong(remaining: 2))
    // A right code spends a try too.
    #expect(try check(verifier, try code(second), second, at: start) == .verified)
    guard case .budgetSpent(let refusal) = try check(verifier, try code(third), third, at: start) else {
      Issue.record("a right code was compared after the mailbox's tries were spent")
      return
    }
    #expect(refusal.scope == .guesses && refusal.limit == 2)
    // Not compared: the code is untouched, and works once the window moves on.
    #expect(try record(verifier, third)?.status == "open" && (try record(verifier, third)?.attempts) == 0)
  }

  @Test func identityAndParentsCodesShareTheBudgetOfOneMailbox() throws {
    let verifier = try verifier(perAddress: 3)
    _ = try issue(verifier, .identity, to: "parent@example.org", session: "s-1", at: start)
    _ = try issue(verifier, .parentalConsent, to: "Parent+child@example.org", session: "s-2", at: start)
    _ = try issue(verifier, .parentalControl, to: "parent@EXAMPLE.org", session: "s-3", at: start)
    for purpose in CodePurpose.allCases {
      let sending = try verifier.send(
        purpose, for: .new({ "PC-TEST" }), to: "parent@example.org", as: requester("s-4"), owner: false,
        policy: policy, now: start)
      guard case .budgetSpent(let refusal) = sending else {
        Issue.record("a \(purpose) code went out past the mailbox's budget")
        return
      }
      #expect(refusal.scope == .address && refusal.after == start.addingTimeInterval(86_400))
    }
  }

  @Test func aRefusedSendingDrawsNoReference() throws {
    let verifier = try verifier(perSession: 1)
    _ = try issue(verifier, at: start)
    var drawn = false
    let sending = try verifier.send(
      .identity,
      for: .new({
        drawn = true
        return "IV-NEVER"
      }), to: "other@example.org", as: requester(), owner: false, policy: policy, now: start)
    guard case .budgetSpent(let refusal) = sending else {
      Issue.record("the session's second code went out")
      return
    }
    #expect(refusal.scope == .session && !drawn)
  }

  @Test func aReferenceGetsItsDayOfCodesButItsOwnerIsNotHeldToIt() throws {
    let verifier = try verifier()
    func send(owner: Bool, at now: Date) throws -> CodeSending {
      try verifier.send(
        .identity, for: .existing("RQ-ABCDEF"), to: "thandi@example.org", as: requester(), owner: owner,
        policy: policy, now: now)
    }
    guard case .sent = try send(owner: false, at: start), case .sent = try send(owner: false, at: start + 60) else {
      Issue.record("the reference's first codes did not go out")
      return
    }
    #expect(
      try send(owner: false, at: start + 120)
        == .limited(CodeLimitRefusal(reference: "RQ-ABCDEF", limit: 2, after: start.addingTimeInterval(86_400))))
    guard case .sent = try send(owner: true, at: start + 180) else {
      Issue.record("the owner was held to the reference's limit")
      return
    }
  }

  @Test func aNewerCodeReplacesTheOneInHand() throws {
    let verifier = try verifier()
    let old = try issue(verifier, at: start)
    try verifier.replace(challengeId: old.challengeId)
    #expect(try record(verifier, old)?.status == "replaced")
    guard case .expired = try check(verifier, try code(old), old, at: start) else {
      Issue.record("a replaced code still worked")
      return
    }
  }

  @Test func noCodeIsMissingNotWrong() throws {
    let verifier = try verifier()
    #expect(
      try verifier.verify("123456", against: nil, address: nil, as: requester(), now: start) == .missing)
    #expect(verifier.refusal(of: nil, now: start) == .missing)
  }
}
