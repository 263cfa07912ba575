import Foundation

/// Consent records and the chat text kept under consent.
extension RecordKeeper {
  func consentRecorded(_ record: ConsentRecord) throws(EngineError) {
    try records.insert(record)
  }

  /// Every consent record of a subject, oldest first.
  func consents(subject: String) throws(EngineError) -> [ConsentRecord] {
    try records.records(ConsentRecord.self, matching: .all.equal(.subject, subject).ordered(by: .at))
  }

  /// The latest consent record of a subject for one purpose, if any.
  func latestConsent(subject: String, purpose: String) throws(EngineError) -> ConsentRecord? {
    try records.first(
      ConsentRecord.self,
      matching: .all.equal(.subject, subject).equal(.purpose, purpose).ordered(by: .at, descending: true)
        .orderedByWriting(descending: true))
  }

  func transcriptLineKept(_ line: TranscriptLine) throws(EngineError) {
    try records.insert(line)
  }

  func transcriptLineCount(subject: String) throws(EngineError) -> Int {
    try records.count(TranscriptLine.self, matching: .all.equal(.subject, subject))
  }
}
