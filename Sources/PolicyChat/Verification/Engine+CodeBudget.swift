import Foundation

/// Which budget of knowledge/verification.yaml a refusal found spent.
enum CodeBudgetScope: String, Sendable {
  case address
  case ownDevice = "own_device"
  case session, device, guesses
}

/// A spent budget: which one, its limit, and when a unit of it is free again.
struct CodeBudgetRefusal: Sendable, Equatable {
  var scope: CodeBudgetScope
  var limit: Int
  var after: Date
}

/// The budgets of one-time codes (identity and parental alike): codes sent per mailbox,
/// per session and per device, and codes typed per mailbox, over a rolling window. A
/// reference's own limit (`maxCodesPerDay`) stops nothing once a new flow or a new child's
/// session makes a new reference; these are counted in the store by keys that do not
/// change with the reference, so they hold across sessions, processes and restarts.
extension Engine {
  /// The mailbox an address delivers to, as counted: without spaces or invisible
  /// characters, lower-cased, without a `+tag` and without a trailing dot, so that
  /// spellings of one inbox share its budget.
  static func mailbox(of address: String) -> String {
    let visible = address.unicodeScalars.filter { scalar in
      !scalar.properties.isWhitespace && scalar.properties.generalCategory != .format
        && scalar.properties.generalCategory != .control
    }
    var folded = String(String.UnicodeScalarView(visible)).lowercased()
    while folded.hasSuffix(".") { folded.removeLast() }
    guard let at = folded.lastIndex(of: "@") else { return folded }
    var local = folded[..<at]
    if let plus = local.firstIndex(of: "+") { local = local[..<plus] }
    return String(local) + folded[at...]
  }

  /// The key a budget is counted under: a keyed hash (the installation's key, as for device
  /// ids) of what it counts, so that a row names no address, and no session or device id
  /// another table could join it to after an erasure.
  private func budgetKey(_ kind: String, _ parts: String...) throws(EngineError) -> String {
    kind + ":" + (try store.hashDeviceId("code budget\u{1F}\(kind)\u{1F}" + parts.joined(separator: "\u{1F}")))
  }

  /// Spends a code to `address` asked for in `state`'s session, or returns the budget that
  /// is spent (and spends nothing). `owner`: the session or its device was verified as the
  /// address's owner before, so the code counts against the owner's own allowance and a
  /// stranger who spent the shared one cannot lock the owner out. Check and spending are
  /// one transaction: processes racing on one file cannot both take the last code.
  func spendCodeBudget(
    to address: String, owner: Bool, state: SessionState, now: Date
  ) throws(EngineError) -> CodeBudgetRefusal? {
    let mailbox = Self.mailbox(of: address)
    var budgets: [(CodeBudgetScope, String, Int)] = [
      owner
        ? (.ownDevice, try budgetKey("own", mailbox, state.subject), codeBudgets.perOwnDevice)
        : (.address, try budgetKey("mailbox", mailbox), codeBudgets.perAddress),
      (.session, try budgetKey("session", state.id), codeBudgets.perSession),
    ]
    if let device = state.deviceHash {
      budgets.append((.device, try budgetKey("device", device), codeBudgets.perDevice))
    }
    // Once the tries for a mailbox are spent, a new code would only be a new target.
    let checks =
      [(CodeBudgetScope.guesses, try triesKey(mailbox, owner: owner, state: state), codeBudgets.wrongGuessesPerAddress)]
      + budgets
    return try store.atomically { () throws(EngineError) -> CodeBudgetRefusal? in
      if let refusal = try spentBudget(checks, now: now) { return refusal }
      try store.spendBudget(keys: budgets.map(\.1), at: now)
      return nil
    }
  }

  /// Spends one try at a code for `address`, before the code is compared, or returns the
  /// refusal when the mailbox's tries are spent. Every try counts, right or wrong, so that
  /// racing processes cannot get past the budget between a check and a count. The owner's
  /// own device (or session) has tries of its own: a stranger typing wrong codes for a
  /// mailbox cannot lock its owner out.
  func spendCodeTry(for address: String, state: SessionState, now: Date) throws(EngineError) -> CodeBudgetRefusal? {
    let owner = try isOwnSubject(try store.subject(email: address)?.id, state: state)
    let key = try triesKey(Self.mailbox(of: address), owner: owner, state: state)
    return try store.atomically { () throws(EngineError) -> CodeBudgetRefusal? in
      if let refusal = try spentBudget([(.guesses, key, codeBudgets.wrongGuessesPerAddress)], now: now) {
        return refusal
      }
      try store.spendBudget(keys: [key], at: now)
      return nil
    }
  }

  private func triesKey(_ mailbox: String, owner: Bool, state: SessionState) throws(EngineError) -> String {
    owner ? try budgetKey("own tries", mailbox, state.subject) : try budgetKey("tries", mailbox)
  }

  private func spentBudget(
    _ budgets: [(CodeBudgetScope, String, Int)], now: Date
  ) throws(EngineError) -> CodeBudgetRefusal? {
    let spent = try store.budgetSpent(keys: budgets.map(\.1), since: now.addingTimeInterval(-codeBudgets.window))
    for (scope, key, limit) in budgets {
      let times = spent[key] ?? []
      guard times.count >= limit else { continue }
      return CodeBudgetRefusal(
        scope: scope, limit: limit, after: times[times.count - limit].addingTimeInterval(codeBudgets.window))
    }
    return nil
  }

  /// The refusal as an explained automated decision of `kind`, answered with `intent`. It
  /// names no address, not even masked: whoever asked may not be its owner.
  func codeBudgetTurn(
    _ refusal: CodeBudgetRefusal, kind: DecisionKind, intent: String, state: SessionState
  ) -> (Turn, Trace) {
    var values = [
      "limit": String(refusal.limit), "window": codeBudgets.windowText, "after": UTCDate.minute(refusal.after),
    ]
    values["why"] = composer.templateReply("verification.budget_" + refusal.scope.rawValue, values: values)
    let decision = makeDecision(
      kind, outcome: "refused", state: state, extra: values,
      facts: [
        "budget": refusal.scope.rawValue, "limit": "\(refusal.limit) in \(codeBudgets.windowText)",
        "after": UTCDate.minute(refusal.after),
      ])
    return gateTurn(intent, values: values, state: state, decision: decision)
  }

  /// Whether this session, or its device, was verified as the owner of the subject.
  func isOwnSubject(_ subjectId: String?, state: SessionState) throws(EngineError) -> Bool {
    guard let subjectId else { return false }
    if state.subjectId == subjectId { return true }
    return try store.subject(linkedTo: state.subject)?.id == subjectId
  }
}
