import Foundation

/// What each deletion of personal data removes, over any store. The engine calls these
/// inside a transaction of its own where several must go together, and reclaims the
/// deleted space once it has committed.
extension RecordKeeper {
  /// Deletes what a session stored (its turns and kept chat text) and forgets its country
  /// and locale; returns the number of records deleted.
  func deleteSessionData(sessionId: String) throws(EngineError) -> Int {
    try records.atomically { () throws(EngineError) -> Int in
      var deleted = try records.delete(TurnRecord.self, matching: .all.equal(.sessionId, sessionId))
      deleted += try records.delete(TranscriptLine.self, matching: .all.equal(.sessionId, sessionId))
      if var session = try records.record(SessionRecord.self, key: sessionId) {
        session.country = nil
        session.locale = nil
        try records.save(session)
      }
      return deleted
    }
  }

  /// How many records ``deleteSessionData(sessionId:)`` would delete now.
  func sessionDataCount(sessionId: String) throws(EngineError) -> Int {
    try records.count(TurnRecord.self, matching: .all.equal(.sessionId, sessionId))
      + records.count(TranscriptLine.self, matching: .all.equal(.sessionId, sessionId))
  }

  /// Forgets a device's under-age answer; returns the number of records deleted.
  func forgetDevice(deviceHash: String) throws(EngineError) -> Int {
    try records.delete(DeviceAnswerRecord.self, matching: .all.equal(.deviceHash, deviceHash))
  }

  /// Deletes the chat text kept for a subject; returns how many lines.
  func deleteTranscript(subject: String) throws(EngineError) -> Int {
    try records.delete(TranscriptLine.self, matching: .all.equal(.subject, subject))
  }

  /// Deletes a subject record and its links (only for one no request refers to).
  func deleteSubject(id: String) throws(EngineError) {
    try records.atomically { () throws(EngineError) in
      _ = try records.delete(SubjectLinkRecord.self, matching: .all.equal(.subjectId, id))
      _ = try records.delete(StoredSubject.self, matching: .all.equal(.id, id))
    }
  }

  /// Deletes everything held about a subject but the tombstone: the subject's id and the
  /// erasure request itself. Returns the number of records deleted (the erasure request's
  /// emptying counts as one).
  func erase(subjectId: String, keeping reference: String, at now: Date) throws(EngineError) -> Int {
    try records.atomically { () throws(EngineError) -> Int in
      let sessionIds = try subjectSessionIds(subjectId)
      let keys = try records.records(SubjectLinkRecord.self, matching: .all.equal(.subjectId, subjectId)).map(\.key)
      var deleted = 0
      for key in keys {
        // A linked device's under-age answer stays: it is a keyed hash, not the person's
        // data, and without it a child on that device could answer the screen as an adult.
        // An adult answer goes, so that the device is screened again.
        deleted += try records.delete(
          DeviceAnswerRecord.self, matching: .all.equal(.deviceHash, key).equal(.outcome, "adult"))
        deleted += try records.delete(TranscriptLine.self, matching: .all.equal(.subject, key))
        deleted += try records.delete(ConsentRecord.self, matching: .all.equal(.subject, key))
      }
      for id in sessionIds {
        deleted += try records.delete(TranscriptLine.self, matching: .all.equal(.sessionId, id))
        deleted += try records.delete(ConsentRecord.self, matching: .all.equal(.sessionId, id))
        deleted += try records.delete(DecisionRecord.self, matching: .all.equal(.sessionId, id))
        deleted += try records.delete(TurnRecord.self, matching: .all.equal(.sessionId, id))
        deleted += try records.delete(SessionRecord.self, matching: .all.equal(.id, id))
      }
      let others = try records.records(
        StoredRequest.self, matching: .all.equal(.subjectId, subjectId).notEqual(.reference, reference)
      ).map(\.reference)
      deleted += try records.delete(ChallengeRecord.self, matching: .all.among(.reference, others + [reference]))
      deleted += try records.delete(
        StoredRequest.self, matching: .all.equal(.subjectId, subjectId).notEqual(.reference, reference))
      if var kept = try records.record(StoredRequest.self, key: reference) {
        kept.sessionId = nil
        kept.details = nil
        kept.country = nil
        try records.save(kept)
        deleted += 1
      }
      deleted += try records.delete(SubjectLinkRecord.self, matching: .all.equal(.subjectId, subjectId))
      if var subject = try records.record(StoredSubject.self, key: subjectId) {
        subject.email = nil
        subject.emailIndex = nil
        subject.restricted = false
        subject.erasedAt = now
        try records.save(subject)
      }
      return deleted
    }
  }

  /// The sessions that hold something of the subject: those linked directly, those whose
  /// consents or kept chats belong to the subject's device, and those its requests came
  /// from; sorted.
  func subjectSessionIds(_ subjectId: String, alsoLinked linked: [String] = []) throws(EngineError) -> [String] {
    let stored = try records.records(SubjectLinkRecord.self, matching: .all.equal(.subjectId, subjectId)).map(\.key)
    let keys = stored + linked.filter { !stored.contains($0) }
    var ids = Set(keys.filter { $0.hasPrefix("session:") }.map { String($0.dropFirst("session:".count)) })
    if !keys.isEmpty {
      ids.formUnion(try records.records(ConsentRecord.self, matching: .all.among(.subject, keys)).map(\.sessionId))
      ids.formUnion(try records.records(TranscriptLine.self, matching: .all.among(.subject, keys)).map(\.sessionId))
    }
    ids.formUnion(
      try records.records(StoredRequest.self, matching: .all.equal(.subjectId, subjectId).isNotNil(.sessionId))
        .compactMap(\.sessionId))
    return ids.sorted()
  }
}
