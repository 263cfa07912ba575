/// How the assistant chose a turn's answer: what `/why` shows.
public struct Trace: Sendable, Codable, Equatable {
  public enum Method: String, Sendable, Codable {
    /// A high-precision pattern of an intent file matched.
    case rule
    /// Full-text retrieval over sections and intent examples.
    case retrieval
    /// The best sentences of the whole policy, quoted (a home with `answers: passages`).
    case passages
    /// The person picked one of the topics the assistant offered.
    case choice
    /// Two topics scored too close to tell apart, so the assistant asked.
    case clarification
    /// Nothing scored high enough.
    case fallback
    /// A slash command.
    case command
    /// The session's opening disclosure.
    case opening
    /// The message was longer than the engine reads.
    case limit
    /// A step of the age screen or of parental consent.
    case gate
  }

  public var method: Method
  public var intent: String
  public var confidence: Double
  /// The pattern that matched, for ``Method/rule``.
  public var rule: String?
  /// The words retrieval searched for (with synonyms in brackets).
  public var terms: [String]
  public var corrections: [String]
  /// The previous topic the message was read as following up on.
  public var followUpOf: String?
  /// The best retrieval candidates, best first.
  public var candidates: [Candidate]
  public var sources: [String]
  /// The automated decision the turn made, if any, with its explanation.
  public var decision: Decision?
}

extension Trace {
  /// The trace of a turn made without reading the message: an opening, a command, a limit.
  static func plain(_ method: Method, intent: String) -> Trace {
    Trace(method: method, intent: intent, confidence: 1, terms: [], corrections: [], candidates: [], sources: [])
  }

  /// The choice in one plain sentence: what was chosen, how, how sure, and from where; for
  /// an automated decision, the decision and its logic.
  var summary: String {
    if let decision {
      return "I made an automated decision (\(decision.outcome)): \(decision.explanation)"
    }
    let sure = " with confidence \(Self.format(confidence))"
    let how: String
    switch method {
    case .rule: how = "I recognised your message by a fixed phrase, as \(intent)," + sure
    case .retrieval: how = "I searched the policy for your words; the best match was \(intent)," + sure
    case .passages: how = "I searched the policy's sentences for your words and quoted the best," + sure
    case .choice: how = "You picked \(intent) from the topics I offered"
    case .clarification: how = "Several parts of the policy matched about equally, so I asked which you meant"
    case .fallback: how = "Nothing in the policy matched well enough, so I said what I can help with"
    case .command: how = "You typed a command (\(intent))"
    case .opening: how = "This was the opening of the conversation, which says what I am"
    case .limit: how = "Your message was longer than I read"
    case .gate: how = "This was a fixed step of the age screen, of consent or of a request"
    }
    let from = sources.isEmpty ? "" : "; the answer comes from the policy's section \(sources.joined(separator: ", "))"
    return how + from + "."
  }

  /// Fact names in words, for the explanation.
  private static let factNames = [
    "consentAge": "consent age", "serviceAge": "service age", "answer": "the answer", "country": "country",
    "countryNamed": "country named", "consentAgeThere": "consent age there", "purpose": "purpose",
    "signal": "signal", "reference": "reference", "tries": "tries", "expiredAt": "expired at", "where": "where",
    "session": "session",
  ]

  /// The plain-text explanation shown to the person.
  var explanation: String {
    var lines = [
      "In short: " + summary,
      "Intent: \(intent) (confidence \(Self.format(confidence)))",
      "Chosen by: \(methodDescription)",
    ]
    if let followUpOf {
      lines.append("Read as a follow-up to: \(followUpOf)")
    }
    if !terms.isEmpty {
      lines.append("Words searched: " + terms.joined(separator: ", "))
    }
    if !corrections.isEmpty {
      lines.append("Spelling repaired: " + corrections.joined(separator: ", "))
    }
    if !candidates.isEmpty {
      lines.append("Retrieval scores (score, coverage of your words, bm25):")
      for candidate in candidates {
        lines.append(
          "  \(Self.format(candidate.score))  \(candidate.intent)  (coverage \(Self.format(candidate.coverage)), bm25 \(Self.format(candidate.bm25)))"
        )
      }
    }
    lines.append("Sources: " + (sources.isEmpty ? "none" : sources.joined(separator: ", ")))
    if let decision {
      lines.append("Automated decision: \(decision.kind) (\(decision.outcome))")
      if let rule = decision.rule { lines.append("  Rule: \(rule)") }
      lines.append("  Logic: \(decision.explanation)")
      if let facts = decision.facts, !facts.isEmpty {
        lines.append(
          "  Facts used: "
            + facts.sorted { $0.key < $1.key }.map { "\(Self.factNames[$0.key] ?? $0.key): \($0.value)" }.joined(
              separator: "; "))
      }
      if let consequence = decision.consequence { lines.append("  Consequence: \(consequence)") }
      if let contest = decision.contest { lines.append("  To contest it: \(contest)") }
    }
    return lines.joined(separator: "\n")
  }

  private var methodDescription: String {
    switch method {
    case .rule: rule.map { "rule, pattern \($0)" } ?? "rule: a fixed phrase of the intent files"
    case .retrieval: "retrieval (SQLite FTS5 bm25, weighted by how much of your message each section covers)"
    case .passages:
      "passages (the policy's sentences ranked by bm25 on your words and their synonyms"
        + (rule.map { ", and on the words such a question looks for: \($0)" } ?? "") + ")"
    case .choice: "your choice among the topics I offered"
    case .clarification: "clarification: the best topics scored too close to tell apart"
    case .fallback: "fallback: no topic scored above the answer threshold"
    case .command: "slash command"
    case .opening: "session opening"
    case .limit: "the message was longer than I read"
    case .gate: "fixed steps of the age screen, consent and requests, following the rules in the data files"
    }
  }

  static func format(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    let fraction = String(abs(hundredths) % 100)
    return "\(hundredths < 0 ? "-" : "")\(abs(hundredths) / 100)." + (fraction.count == 1 ? "0" + fraction : fraction)
  }
}
