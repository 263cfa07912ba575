import Foundation

/// The chat text kept only while `session_logging` is in force (``MessageKeeping`` says
/// when), redacted before it is stored.
extension Engine {
  /// Keeps one exchange of a conversation under `session_logging`, redacted. The
  /// assistant's replies are redacted too, in case one ever repeats what was typed; only
  /// the addresses the assistant itself publishes (the organisation's, the regulators')
  /// are spared.
  func keepTranscript(_ message: String, turn: Turn, state: SessionState, now: Date) throws(EngineError) {
    var reply = turn.text
    var spared: [(String, String)] = []
    for (index, address) in publishedAddresses.enumerated() where reply.contains(address) {
      let marker = "\u{E000}\(index)\u{E000}"
      reply = reply.replacingOccurrences(of: address, with: marker)
      spared.append((marker, address))
    }
    reply = redactor.redact(reply).text
    for (marker, address) in spared { reply = reply.replacingOccurrences(of: marker, with: address) }
    let lines = [("person", redactor.redact(message).text), ("assistant", reply)]
    for (speaker, text) in lines {
      try store.transcriptLineKept(
        TranscriptLine(
          sessionId: state.id, subject: state.subject, sequence: state.turnCount, at: now, speaker: speaker,
          text: text))
    }
  }

  /// The e-mail addresses in the assistant's own texts: the organisation's contact and the
  /// regulators' in knowledge/requests.yaml.
  static func publishedAddresses(_ policy: PolicyData) -> [String] {
    [policy.knowledge.policy.contact] + policy.requests.complaints.values.sorted().flatMap(GateAnswers.emails(in:))
  }
}
