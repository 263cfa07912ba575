import Foundation
import Testing

@testable import PolicyChat

/// Topics: the shipped intents name topics, Rousora's sections carry them, and loading
/// turns each into the sections the intents answered from before topics existed.
@Suite struct TopicTests {
  @Test func rousorasTopicsResolveToTheSectionsItsIntentsAnsweredFrom() throws {
    let policy = try PolicyData.load(home: TestEngine.repositoryRoot)
    let catalog = policy.catalog
    let expected: [String: [String]] = [
      "policy.sharing": ["sharing"], "policy.collection": ["collection"], "policy.purposes": ["purposes"],
      "policy.security": ["security"], "policy.collection.sensitive": ["collection.sensitive"],
      "policy.retention": ["retention"], "policy.retention.storage-locations": ["retention.storage-locations"],
      "policy.collection-methods": ["collection-methods"], "policy.children.age": ["children.age"],
      "policy.rights.erasure": ["rights.erasure"], "policy.rights.objection": ["rights.objection"],
      "policy.cookies": ["cookies"], "request.erasure": ["rights.erasure"], "request.access": ["rights.access"],
      "request.complaint": ["rights.complaint"], "request.withdraw_consent": ["rights.withdraw-consent"],
    ]
    for (id, sections) in expected {
      let intent = try #require(catalog.intent(id), "\(id)")
      #expect(intent.answer == sections, "\(id)")
      #expect(intent.uncovered.isEmpty, "\(id)")
    }
    #expect(catalog.intent("request.erasure")?.section == "rights.erasure")
    #expect(catalog.intent("request.portability")?.section == "rights.portability")
    // Every shipped intent names topics, never one policy's section ids, so that it starts on any policy.
    for intent in catalog.intents where intent.file != "intents/conversation.yaml" {
      #expect(intent.answer.isEmpty || !intent.topics.isEmpty, "\(intent.id) names sections, not topics")
    }
  }

  @Test func aSectionOrIntentNamingAnUnknownTopicIsRefused() {
    #expect(throws: EngineError.self) {
      try FrontMatterParser.parse("---\nid: x\ntitle: X\ntopics: [retention, data-sharing]\n---\nText.", file: "x.md")
    }
    #expect(throws: EngineError.self) {
      try IntentCatalog.intents(
        yaml: "intents:\n  - id: policy.x\n    topics: [sharing, selling-data]\n", file: "x.yaml", cueNames: [])
    }
  }

  @Test func aFollowUpTopicMustNameACueSetAndAKnownTopic() throws {
    for (line, reason) in [
      ("  shape_purpose: purpose-of-life", "follow-up 'shape_purpose' names unknown topic 'purpose-of-life'"),
      ("  shape_nowhere: purposes", "follow-up 'shape_nowhere' names no cue set"),
    ] {
      let error = try TestEngine.catalogError {
        $0.replacingOccurrences(of: "  shape_purpose: purposes\n", with: line + "\n")
      }
      #expect(error.contains(reason), "\(error)")
    }
  }

  @Test func aTopicResolvesToTheOutermostSectionsThatCarryIt() throws {
    func section(_ id: String, _ topics: [String]) -> Section {
      Section(id: id, title: id, aliases: [], topics: topics, body: "Text of \(id).", file: id + ".md")
    }
    let knowledge = try KnowledgeBase(
      policy: PolicyInfo(organisation: "Acme", contact: "a@b.example", version: "1", lastUpdated: "2026-01-01"),
      sections: [
        section("keeping", ["retention"]), section("keeping.periods", ["retention"]), section("other", []),
        section("backups", ["retention"]),
      ])
    #expect(knowledge.sections(covering: "retention").map(\.id) == ["keeping", "backups"])
    #expect(knowledge.sections(covering: "selling").isEmpty)
  }

  @Test func docsKnowledgeListsEveryTopic() throws {
    let doc = try String(
      contentsOf: TestEngine.repositoryRoot.appendingPathComponent("docs/KNOWLEDGE.md"), encoding: .utf8)
    for topic in Topic.all {
      #expect(doc.contains("| `\(topic.id)` | \(topic.about) |"), "\(topic.id)")
    }
  }
}
