import Foundation

/// The assistant's account of itself: why it said what it said, that it keeps no profile,
/// and the policy's versions (knowledge/disclosure.yaml).
extension Engine {
  /// "why did you say that?", "do you profile me?", "what changed in the policy?"; nil for
  /// any other intent.
  func disclosureTurn(_ intent: String, normalized: String, state: SessionState) throws(EngineError) -> (Turn, Trace)? {
    let text: String
    var events: [TurnEvent] = []
    switch intent {
    case "explain":
      // The same as /why, and it keeps explaining the answer before it.
      let turn = Turn(
        sessionId: state.id, intent: "explain", confidence: 1,
        replies: [Reply(text: state.lastTrace?.explanation ?? "There is no answer to explain yet.")],
        state: state.snapshot)
      return (turn, state.lastTrace ?? Trace.plain(.command, intent: "explain"))
    case "profiling":
      text = composer.render(disclosure.profiling, values: [:])
    case "policy_history":
      let asked = TextNormalizer.words(normalized).compactMap(Int.init).first.map(String.init)
      let current = knowledge.policy.version
      if let asked, let version = disclosure.version(asked), asked != current {
        let archived = try archivedPolicyText(version)
        text =
          "Version \(version.version) of the policy, from \(version.date): \(version.summary)"
          + (archived == nil
            ? " Its full text is not archived here; \(knowledge.policy.contact) can send it."
            : " Its full text is attached for you to read or download.")
        if let archived {
          events.append(TurnEvent(type: "policy.archive", data: ["version": version.version, "text": archived]))
        }
      } else if let asked, asked != current {
        text =
          "There is no version \(asked) of the policy. " + versionList()
      } else {
        text = versionList()
      }
    default:
      return nil
    }
    let turn = Turn(
      sessionId: state.id, intent: intent, confidence: 1, replies: [Reply(text: text)], events: events,
      state: state.snapshot)
    return (turn, Trace.plain(.rule, intent: intent))
  }

  /// Every version, newest first, with what changed.
  private func versionList() -> String {
    let current = knowledge.policy.version
    let lines = disclosure.versions.reversed().map { version in
      "- Version \(version.version) (\(version.date))\(version.version == current ? ", in force" : ""): \(version.summary)"
    }
    return "The versions of the privacy policy:\n" + lines.joined(separator: "\n")
  }
}
