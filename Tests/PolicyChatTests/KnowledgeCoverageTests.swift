import Foundation
import PolicyChat
import Testing

/// Nothing of the policy may be lost in knowledge/.
@Suite struct KnowledgeCoverageTests {
  /// Whitespace collapsed, Markdown emphasis removed: the form both sides are compared in.
  private static func flatten(_ text: String) -> String {
    text.replacingOccurrences(of: "**", with: "")
      .split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  /// The seed split into sentences and table cells, without bullet and pipe punctuation.
  private static func seedFragments() throws -> [String] {
    var fragments: [String] = []
    for line in try TestEngine.fixture("rousora-privacy-policy.txt").split(separator: "\n") {
      var text = String(line)
      while let first = text.first, first == "-" || first == " " { text.removeFirst() }
      for cell in text.split(separator: "|") {
        let trimmed = flatten(String(cell))
        guard trimmed.contains(where: \.isLetter) else { continue }
        fragments += trimmed.components(separatedBy: ". ").map { $0.trimmingCharacters(in: .whitespaces) }
          .filter { !$0.isEmpty }
      }
    }
    return fragments
  }

  @Test func everySentenceOfThePolicyAppearsInTheKnowledgeBase() throws {
    let knowledge = TestEngine.shared.knowledge
    let corpus = Self.flatten(knowledge.sections.map { $0.title + "\n" + $0.body }.joined(separator: "\n"))
    let fragments = try Self.seedFragments()
    #expect(fragments.count > 250)
    let missing = fragments.filter { !corpus.contains($0) }
    #expect(missing.isEmpty, "not in knowledge/: \(missing)")
  }

  @Test func everySectionHasATitleAliasesAndText() {
    for section in TestEngine.shared.knowledge.sections {
      #expect(!section.title.isEmpty, "\(section.id)")
      #expect(!section.body.isEmpty, "\(section.id)")
      #expect(section.aliases.count >= 3, "\(section.id) has too few aliases")
    }
  }

  @Test func thePolicyFileGivesContactVersionAndDate() {
    let policy = TestEngine.shared.knowledge.policy
    #expect(policy.organisation == "Rousora")
    #expect(policy.contact == "support@rousora.com")
    #expect(!policy.version.isEmpty)
    #expect(policy.lastUpdated.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil)
  }

  @Test func everyFixedIntentIdExists() {
    let ids = Set(TestEngine.shared.catalog.intents.map(\.id))
    for id in IntentCatalog.requiredIds {
      #expect(ids.contains(id), "missing intent \(id)")
    }
  }
}
