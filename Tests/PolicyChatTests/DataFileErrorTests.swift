import Foundation
import PolicyChat
import Testing

/// A broken data file stops the engine with an error that names the file (and line).
@Suite struct DataFileErrorTests {
  /// A copy of the repository's knowledge/ and intents/ in a temporary folder.
  private func copyOfHome() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for name in ["knowledge", "intents"] {
      try FileManager.default.copyItem(
        at: TestEngine.repositoryRoot.appendingPathComponent(name), to: folder.appendingPathComponent(name))
    }
    return folder
  }

  private func loadError(_ home: URL) -> EngineError? {
    do {
      _ = try Engine(configuration: EngineConfiguration(home: home))
      return nil
    } catch {
      return error
    }
  }

  @Test func brokenYAMLInASectionNamesTheFileAndLine() throws {
    let home = try copyOfHome()
    defer { try? FileManager.default.removeItem(at: home) }
    let file = home.appendingPathComponent("knowledge/sections/10-rights/03-erasure.md")
    try "---\nid: rights.erasure\ntitle: [unclosed\n---\nText.\n".write(to: file, atomically: true, encoding: .utf8)
    let error = try #require(loadError(home))
    #expect(error.code == "invalid_data")
    #expect(error.description.hasPrefix("knowledge/sections/10-rights/03-erasure.md:"))
    #expect(error.description.contains("broken YAML"))
  }

  @Test(arguments: [
    ("---\nid: rights.erasure\n---\nText.\n", "needs an id and a title"),
    ("---\nid: rights.erasure\ntitle: Erasure\naliases: forget me\n---\nText.\n", "aliases must be a list"),
    ("---\n- rights.erasure\n---\nText.\n", "must be a mapping"),
  ])
  func aSectionWithTheWrongFrontMatterSaysWhat(text: String, reason: String) throws {
    let home = try copyOfHome()
    defer { try? FileManager.default.removeItem(at: home) }
    let file = home.appendingPathComponent("knowledge/sections/10-rights/03-erasure.md")
    try text.write(to: file, atomically: true, encoding: .utf8)
    let error = try #require(loadError(home))
    #expect(error.description.hasPrefix("knowledge/sections/10-rights/03-erasure.md:2: "))
    #expect(error.description.contains(reason))
  }

  @Test func aSectionWithoutFrontMatterIsRejected() throws {
    let home = try copyOfHome()
    defer { try? FileManager.default.removeItem(at: home) }
    try "Just text.\n".write(
      to: home.appendingPathComponent("knowledge/sections/10-rights/09-extra.md"), atomically: true, encoding: .utf8)
    let error = try #require(loadError(home))
    #expect(error.description == "knowledge/sections/10-rights/09-extra.md:1: expected front matter starting with ---")
  }

  @Test func aDuplicateSectionIdIsRejected() throws {
    let home = try copyOfHome()
    defer { try? FileManager.default.removeItem(at: home) }
    try "---\nid: rights.erasure\ntitle: Again\n---\nText.\n".write(
      to: home.appendingPathComponent("knowledge/sections/10-rights/09-again.md"), atomically: true, encoding: .utf8)
    let error = try #require(loadError(home))
    #expect(error.description.contains("id 'rights.erasure' is also used by"))
  }

  @Test func anIntentNamingAnUnknownSectionIsRejected() throws {
    let home = try copyOfHome()
    defer { try? FileManager.default.removeItem(at: home) }
    try "intents:\n  - id: policy.nowhere\n    answer: [nowhere]\n".write(
      to: home.appendingPathComponent("intents/extra.yaml"), atomically: true, encoding: .utf8)
    let error = try #require(loadError(home))
    #expect(error.description.contains("intents/extra.yaml"))
    #expect(error.description.contains("unknown section 'nowhere'"))
  }

  @Test func aMisspelledIntentKeyIsRejectedWithItsLine() throws {
    let home = try copyOfHome()
    defer { try? FileManager.default.removeItem(at: home) }
    try "intents:\n  - id: extra\n    pattern: ['hello']\n    reply: Hi\n".write(
      to: home.appendingPathComponent("intents/extra.yaml"), atomically: true, encoding: .utf8)
    let error = try #require(loadError(home))
    #expect(error.description.hasPrefix("intents/extra.yaml:3: unknown key 'pattern'"))
  }

  @Test func aMisspelledTopLevelKeyIsRejectedWithItsLine() throws {
    let home = try copyOfHome()
    defer { try? FileManager.default.removeItem(at: home) }
    try "intents:\n  - id: extra\n    reply: Hi\nintent:\n  - id: lost\n    reply: Hi\n".write(
      to: home.appendingPathComponent("intents/extra.yaml"), atomically: true, encoding: .utf8)
    let error = try #require(loadError(home))
    #expect(error.description == "intents/extra.yaml:4: unknown key 'intent' (known: intents)")
  }

  @Test func anIntentFieldOfTheWrongShapeIsRejectedWithItsLine() throws {
    let home = try copyOfHome()
    defer { try? FileManager.default.removeItem(at: home) }
    try "intents:\n  - id: extra\n    reply: Hi\n    examples: just one\n".write(
      to: home.appendingPathComponent("intents/extra.yaml"), atomically: true, encoding: .utf8)
    let error = try #require(loadError(home))
    #expect(error.description == "intents/extra.yaml:4: 'examples' must be a list of texts")
  }

  @Test func anInvalidPatternIsRejected() throws {
    let home = try copyOfHome()
    defer { try? FileManager.default.removeItem(at: home) }
    try "intents:\n  - id: extra\n    patterns: ['(unclosed']\n    reply: Hi\n".write(
      to: home.appendingPathComponent("intents/extra.yaml"), atomically: true, encoding: .utf8)
    let error = try #require(loadError(home))
    #expect(error.description.contains("invalid regular expression"))
  }

  @Test func aMissingFixedIntentIsRejected() throws {
    let home = try copyOfHome()
    defer { try? FileManager.default.removeItem(at: home) }
    let file = home.appendingPathComponent("intents/conversation.yaml")
    let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(
      of: "id: goodbye", with: "id: farewell")
    try text.write(to: file, atomically: true, encoding: .utf8)
    let error = try #require(loadError(home))
    #expect(error.description.contains("required intent 'goodbye' is missing"))
  }

  @Test func aJurisdictionThatIsNotACountryCodeIsRejected() throws {
    let home = try copyOfHome()
    defer { try? FileManager.default.removeItem(at: home) }
    let file = home.appendingPathComponent("knowledge/jurisdictions.yaml")
    let text = try String(contentsOf: file, encoding: .utf8)
      .replacingOccurrences(of: "  ZA: {consentAge: 18", with: "  Zar: {consentAge: 18")
    try text.write(to: file, atomically: true, encoding: .utf8)
    let error = try #require(loadError(home))
    #expect(error.description == "knowledge/jurisdictions.yaml: 'Zar' is not an ISO 3166-1 alpha-2 code")
  }

  @Test(arguments: [
    ("  ZA: {consentAge: 18", "  EU: {consentAge: 18", "'EU' is not a country (see notCountries and regions)"),
    (
      "members: [EU, IS, LI, \"NO\"]", "members: [EU, IS, LI, XY]",
      "regions: 'EEA': member 'XY' is neither a country code nor a group of regions"
    ),
    ("members: [EU, IS, LI, \"NO\"]", "members: [EEA]", "regions: 'EEA' contains itself through its members"),
    (
      "{name: England, country: GB}", "{name: England, country: GB, members: [FR]}",
      "regions: 'GB-ENG' needs either `country` (a part of one country) or `members` (a group), not both"
    ),
    (
      "{name: California, names: [calif, cali], country: US}", "{name: California, country: CA}",
      "regions: 'US-CA' is an ISO 3166-2 code of another country than 'CA'"
    ),
    (
      "{name: Bavaria, names: [bayern], country: DE}", "{name: Bavaria, names: [bayern, austria], country: DE}",
      "regions: 'DE-BY' names 'austria', which is a country's name"
    ),
    (
      "{name: Saarland, country: DE}", "{name: Saarland, names: [hamburg], country: DE}",
      "regions: 'DE-HH' and 'DE-SL' are both named 'hamburg'"
    ),
    ("  EU: European Union\n", "  E1: European Union\n", "notCountries: 'E1' is not a two-letter code"),
  ])
  func aMistakeInTheRegionsNamesTheFile(original: String, broken: String, reason: String) throws {
    let home = try copyOfHome()
    defer { try? FileManager.default.removeItem(at: home) }
    let file = home.appendingPathComponent("knowledge/jurisdictions.yaml")
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text.contains(original))
    try text.replacingOccurrences(of: original, with: broken).write(to: file, atomically: true, encoding: .utf8)
    let error = try #require(loadError(home))
    #expect(error.description == "knowledge/jurisdictions.yaml: " + reason)
  }

  @Test func aMissingHomeSaysWhatIsMissing() {
    let error = loadError(URL(fileURLWithPath: "/nonexistent-policychat-home"))
    #expect(error?.description == "knowledge/policy.yaml: file not found or unreadable")
  }
}
