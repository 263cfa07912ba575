import Foundation
import PolicyChat

/// The evaluation sets of shared/eval, copied into Fixtures, and how a turn is judged on them.
enum Evaluation {
  struct DevQuestion: Decodable {
    var id: String
    var q: String
    var kind: String
    var any: [String]?
    var intents: [String]?
  }

  static func devQuestions() throws -> [DevQuestion] {
    try TestEngine.fixture("dev_questions.jsonl").split(separator: "\n").map {
      try JSONDecoder().decode(DevQuestion.self, from: Data($0.utf8))
    }
  }

  /// Whether a turn answers a dev-set question as the set expects.
  static func passes(_ question: DevQuestion, _ turn: Turn) -> Bool {
    switch question.kind {
    case "qa":
      let text = turn.text.lowercased()
      return turn.text.count < 1_500 && (question.any ?? []).contains { text.contains($0.lowercased()) }
    default:
      return (question.intents ?? []).contains(turn.intent)
    }
  }

  /// PrivacyQA questions with their OPP-115 labels.
  static func privacyQA() throws -> [(question: String, labels: [String])] {
    try TestEngine.fixture("privacyqa_train.tsv").split(separator: "\n").dropFirst().compactMap { line in
      let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
      guard columns.count == 2 else { return nil }
      return (String(columns[0]), columns[1].split(separator: ",").map(String.init))
    }
  }

  /// Where the policy answers each OPP-115 category (shared/eval/README.md), as section id
  /// prefixes.
  static let sectionsByLabel: [String: [String]] = [
    "first": ["collection", "collection-methods", "purposes", "legal-bases", "children"],
    "third": ["sharing", "transfers", "cookies.third-party"],
    "datasecurity": ["security", "definitions.data-breach"],
    "dataretention": ["retention", "transfers.hosting"],
    "user_access": ["rights", "children.enforcement"],
    "user_choice": [
      "cookies", "rights.withdraw-consent", "rights.objection", "rights.restriction", "legal-bases.consent",
      "definitions.consent", "rights",
    ],
    "other": ["contact", "definitions", "introduction", "changes", "children"],
  ]

  /// The section a turn answered from (a request counts as the section of its right).
  static func section(of turn: Turn) -> String? {
    if turn.intent.hasPrefix("policy.") { return String(turn.intent.dropFirst("policy.".count)) }
    return turn.sources.first?.id
  }

  static func isCorrect(section: String?, labels: [String]) -> Bool {
    guard let section else { return false }
    return labels.flatMap { sectionsByLabel[$0] ?? [] }.contains {
      section == $0 || section.hasPrefix($0 + ".")
    }
  }
}
