import Foundation

/// The budgets of one-time codes (identity and parental alike): codes sent per mailbox,
/// per session and per device, and codes typed per mailbox, over a rolling window. A
/// reference's own limit (`maxCodesPerDay`) stops nothing once a new flow or a new child's
/// session makes a new reference; these are counted in the store by keys that do not
/// change with the reference, so they hold across sessions, processes and restarts.
extension Verifier {
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

  /// Spends a code to `address`, or returns the budget that is spent (and spends
  /// nothing). `owner`: the code counts against the owner's own allowance, so that a
  /// stranger who spent the shared one cannot lock the owner out. Check and spending are
  /// one transaction: processes racing on one file cannot both take the last code.
  func spendSend(
    to address: String, owner: Bool, as requester: CodeRequester, now: Date
  ) throws(EngineError) -> CodeBudgetRefusal? {
    let mailbox = Self.mailbox(of: address)
    var sends: [(CodeBudgetScope, String, Int)] = [
      owner
        ? (.ownDevice, try budgetKey("own", mailbox, requester.subjectKey), budgets.perOwnDevice)
        : (.address, try budgetKey("mailbox", mailbox), budgets.perAddress),
      (.session, try budgetKey("session", requester.sessionId), budgets.perSession),
    ]
    if let device = requester.deviceHash {
      sends.append((.device, try budgetKey("device", device), budgets.perDevice))
    }
    // Once the tries for a mailbox are spent, a new code would only be a new target.
    let checks =
      [(CodeBudgetScope.guesses, try triesKey(mailbox, owner: owner, requester), budgets.wrongGuessesPerAddress)]
      + sends
    return try store.atomically { () throws(EngineError) -> CodeBudgetRefusal? in
      if let refusal = try spentBudget(checks, now: now) { return refusal }
      try store.spendBudget(keys: sends.map(\.1), at: now)
      return nil
    }
  }

  /// Spends one try at a code for `address`, or returns the refusal when the mailbox's
  /// tries are spent. The owner's own device (or session) has tries of its own: a stranger
  /// typing wrong codes for a mailbox cannot lock its owner out.
  func spendTry(for address: String, as requester: CodeRequester, now: Date) throws(EngineError) -> CodeBudgetRefusal? {
    let owner = try isOwner(of: try store.subject(email: address)?.id, requester)
    let key = try triesKey(Self.mailbox(of: address), owner: owner, requester)
    return try store.atomically { () throws(EngineError) -> CodeBudgetRefusal? in
      if let refusal = try spentBudget([(.guesses, key, budgets.wrongGuessesPerAddress)], now: now) {
        return refusal
      }
      try store.spendBudget(keys: [key], at: now)
      return nil
    }
  }

  /// The key a budget is counted under: a keyed hash (the installation's key, as for device
  /// ids) of what it counts, so that a row names no address, and no session or device id
  /// another table could join it to after an erasure.
  private func budgetKey(_ kind: String, _ parts: String...) throws(EngineError) -> String {
    kind + ":" + (try store.hashDeviceId("code budget\u{1F}\(kind)\u{1F}" + parts.joined(separator: "\u{1F}")))
  }

  private func triesKey(_ mailbox: String, owner: Bool, _ requester: CodeRequester) throws(EngineError) -> String {
    owner ? try budgetKey("own tries", mailbox, requester.subjectKey) : try budgetKey("tries", mailbox)
  }

  private func spentBudget(
    _ checks: [(CodeBudgetScope, String, Int)], now: Date
  ) throws(EngineError) -> CodeBudgetRefusal? {
    let spent = try store.budgetSpent(keys: checks.map(\.1), since: now.addingTimeInterval(-budgets.window))
    for (scope, key, limit) in checks {
      let times = spent[key] ?? []
      guard times.count >= limit else { continue }
      return CodeBudgetRefusal(
        scope: scope, limit: limit, after: times[times.count - limit].addingTimeInterval(budgets.window))
    }
    return nil
  }
}
