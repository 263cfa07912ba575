import Foundation

/// The engine's side of its ``SessionStore``: the records each step of a conversation
/// reads and writes, named for what the engine means by them, over a store that only keeps
/// records. The rules live here and beside it, not in a store, so that every store behaves
/// alike: contact details are sealed before any store sees them (``ContactKeys``), and what
/// an erasure removes, what retention purges and what an export holds are in Privacy/.
struct RecordKeeper: Sendable {
  let records: any SessionStore
  let keys: ContactKeys

  // Sessions and turns.

  func sessionOpened(_ record: SessionRecord) throws(EngineError) {
    try records.insert(record)
  }

  func turnTaken(_ record: TurnRecord) throws(EngineError) {
    try records.insert(record)
  }

  func sessionClosed(id: String, at: Date) throws(EngineError) {
    // One UPDATE: a read and a write in a transaction was a tenth of a question's cost.
    _ = try records.update(
      SessionRecord.self, matching: RecordQuery<SessionRecord>.all.equal(.id, id),
      set: [.closedAt: .date(at)])
  }

  func turns(sessionId: String) throws(EngineError) -> [TurnRecord] {
    try records.turns(sessionId: sessionId)
  }

  // The age gate.

  func decisionMade(_ record: DecisionRecord) throws(EngineError) {
    try records.insert(record)
  }

  /// The outcome of an under-age answer given on a device since `since`, if any.
  func deviceOutcome(deviceHash: String, since: Date) throws(EngineError) -> String? {
    try records.first(
      DeviceAnswerRecord.self, matching: .all.equal(.deviceHash, deviceHash).notBefore(.at, since)
    )?.outcome
  }

  func deviceAnswered(deviceHash: String, outcome: String, at: Date) throws(EngineError) {
    try records.save(DeviceAnswerRecord(deviceHash: deviceHash, outcome: outcome, at: at))
  }

  // Parental consent and one-time codes.

  func saveParentalConsent(_ record: ParentalConsentRecord) throws(EngineError) {
    var sealed = record
    sealed.parentContact = try record.parentContact.map { address throws(EngineError) in
      try keys.cipher(records).seal(address)
    }
    try records.save(sealed)
  }

  func parentalConsent(reference: String) throws(EngineError) -> ParentalConsentRecord? {
    try records.record(ParentalConsentRecord.self, key: reference).map(opened)
  }

  func parentalConsents(deviceHash: String) throws(EngineError) -> [ParentalConsentRecord] {
    try records.records(
      ParentalConsentRecord.self, matching: .all.equal(.childDeviceHash, deviceHash).ordered(by: .requestedAt)
    ).map(opened)
  }

  /// Pending consents requested before `before`: their codes have lapsed unanswered.
  func pendingParentalConsents(requestedBefore before: Date) throws(EngineError) -> [ParentalConsentRecord] {
    try records.records(
      ParentalConsentRecord.self, matching: .all.equal(.status, "pending").before(.requestedAt, before)
    ).map(opened)
  }

  /// A parental consent as the engine uses it: the parent's address opened.
  private func opened(_ record: ParentalConsentRecord) throws(EngineError) -> ParentalConsentRecord {
    guard let sealed = record.parentContact else { return record }
    var opened = record
    opened.parentContact = try keys.cipher(records).open(sealed)
    return opened
  }

  func saveChallenge(_ record: ChallengeRecord) throws(EngineError) {
    try records.save(record)
  }

  func challenge(id: String) throws(EngineError) -> ChallengeRecord? {
    try records.record(ChallengeRecord.self, key: id)
  }

  /// The newest challenge for a reference and purpose.
  func latestChallenge(reference: String, purpose: String) throws(EngineError) -> ChallengeRecord? {
    try records.first(
      ChallengeRecord.self,
      matching: .all.equal(.reference, reference).equal(.purpose, purpose).ordered(by: .issuedAt, descending: true)
        .orderedByWriting(descending: true))
  }

  /// When each code for a reference was made since `since`, oldest first, whatever became
  /// of them.
  func challengesIssued(reference: String, since: Date) throws(EngineError) -> [Date] {
    try records.records(
      ChallengeRecord.self,
      matching: .all.equal(.reference, reference).notBefore(.issuedAt, since).ordered(by: .issuedAt)
    ).map(\.issuedAt)
  }

  /// Points a verification code at the request it verified.
  func retag(challengeId: String, reference: String) throws(EngineError) {
    try records.atomically { () throws(EngineError) in
      guard var challenge = try challenge(id: challengeId) else { return }
      challenge.reference = reference
      try records.save(challenge)
    }
  }

  /// When each budget key (knowledge/verification.yaml) was spent after `since`, oldest
  /// first, by key; a key never spent maps to an empty list.
  func budgetSpent(keys: [String], since: Date) throws(EngineError) -> [String: [Date]] {
    var spent: [String: [Date]] = [:]
    for key in keys {
      spent[key] = try records.records(
        BudgetSpendRecord.self, matching: .all.equal(.key, key).after(.at, since).ordered(by: .at)
      ).map(\.at)
    }
    return spent
  }

  /// Spends one unit of each key at `at`. Budgets are not the person's data: no erasure
  /// removes them, only ``purge(_:dryRun:)`` once they are past the window.
  func spendBudget(keys: [String], at: Date) throws(EngineError) {
    for key in keys { try records.insert(BudgetSpendRecord(key: key, at: at)) }
  }

  func dataDeleted(_ record: DeletionRecord) throws(EngineError) {
    try records.insert(record)
  }

  // The store's own housekeeping.

  func atomically<T>(_ body: () throws(EngineError) -> T) throws(EngineError) -> T {
    try records.atomically(body)
  }

  func reclaimDeletedSpace() throws(EngineError) {
    try records.reclaimDeletedSpace()
  }

  func closeDatabase() throws(EngineError) {
    try records.closeDatabase()
  }
}
