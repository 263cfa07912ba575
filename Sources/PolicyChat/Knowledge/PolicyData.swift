import Foundation

/// Everything an engine knows that does not change while it runs: the policy's sections,
/// the intents and their search index. Loaded once from `knowledge/` and `intents/`, it can
/// be shared by any number of engines (a replay runs one engine per transcript).
public final class PolicyData: Sendable {
  /// The folder it was loaded from.
  public let home: URL
  public let knowledge: KnowledgeBase
  public let catalog: IntentCatalog
  /// The ages that gate collection, by country.
  public let jurisdictions: Jurisdictions
  /// How the age screen and parental consent behave.
  public let gates: GateSettings
  /// Every kind of automated decision, with its explanation.
  public let decisions: DecisionCatalog
  /// Consent purposes, validity and retention.
  public let consents: ConsentCatalog
  /// Verification, deadlines and complaint routes of rights requests.
  public let requests: RequestSettings
  /// How many one-time codes may go out, and wrong ones be typed, in a window.
  public let codeBudgets: CodeBudgets
  /// The opening disclosure, what is kept about a person, the policy's versions.
  public let disclosure: Disclosure
  let understanding: Understanding
  let composer: ReplyComposer

  public static func load(home: URL) throws(EngineError) -> PolicyData {
    try load(home: home, rights: .standard)
  }

  /// `rights`: the fulfilments the `types:` of knowledge/requests.yaml may choose from.
  static func load(home: URL, rights: RightRegistry) throws(EngineError) -> PolicyData {
    // Start-up is mostly parsing files that do not depend on each other: the sections,
    // the intents (their section names are checked afterwards) and the settings are read
    // at once. Errors are still reported sections first, then intents, then settings.
    let (knowledgeResult, catalogResult, settingsResult) = Concurrently.run(
      { () throws(EngineError) in try KnowledgeBase.load(home: home) },
      { () throws(EngineError) in try IntentCatalog.load(home: home) },
      { () throws(EngineError) in try Settings(home: home, rights: rights) })
    let knowledge = try knowledgeResult.get()
    let catalog = try catalogResult.get().resolvingTopics(in: knowledge)
    let index = try SearchIndex(documents: documents(knowledge: knowledge, catalog: catalog))
    let settings = try settingsResult.get()
    let (jurisdictions, gates, decisions) = (settings.jurisdictions, settings.gates, settings.decisions)
    let (consents, requests, codeBudgets) = (settings.consents, settings.requests, settings.codeBudgets)
    let disclosure = try Disclosure.load(home: home, policy: knowledge.policy)
    return PolicyData(
      home: home, knowledge: knowledge, catalog: catalog, jurisdictions: jurisdictions, gates: gates,
      decisions: decisions, consents: consents, requests: requests, codeBudgets: codeBudgets, disclosure: disclosure,
      index: index)
  }

  /// The files of the gates, consent and requests, read together.
  private struct Settings: Sendable {
    let jurisdictions: Jurisdictions
    let gates: GateSettings
    let decisions: DecisionCatalog
    let consents: ConsentCatalog
    let requests: RequestSettings
    let codeBudgets: CodeBudgets

    init(home: URL, rights: RightRegistry) throws(EngineError) {
      jurisdictions = try Jurisdictions.load(home: home)
      gates = try GateSettings.load(home: home)
      decisions = try DecisionCatalog.load(home: home)
      consents = try ConsentCatalog.load(home: home)
      requests = try RequestSettings.load(home: home, rights: rights)
      codeBudgets = try CodeBudgets.load(home: home)
    }
  }

  private convenience init(
    home: URL, knowledge: KnowledgeBase, catalog: IntentCatalog, jurisdictions: Jurisdictions, gates: GateSettings,
    decisions: DecisionCatalog, consents: ConsentCatalog, requests: RequestSettings, codeBudgets: CodeBudgets,
    disclosure: Disclosure, index: SearchIndex
  ) {
    self.init(
      home: home, knowledge: knowledge, catalog: catalog, jurisdictions: jurisdictions, gates: gates,
      decisions: decisions, consents: consents, requests: requests, codeBudgets: codeBudgets, disclosure: disclosure,
      understanding: Understanding(catalog: catalog, index: index, knowledge: knowledge),
      composer: ReplyComposer(knowledge: knowledge, catalog: catalog))
  }

  /// The same policy at a newer version: the version and date changed, the change listed
  /// in the disclosure's versions, the text before it archived. For previewing what a
  /// returning person would be told, and for transcripts that replay a policy change.
  public func revised(version: String, date: String, summary: String, material: Bool) throws(EngineError)
    -> PolicyData
  {
    guard disclosure.version(version) == nil else {
      throw .invalidData(file: "knowledge/disclosure.yaml", line: nil, reason: "version \(version) already exists")
    }
    var info = knowledge.policy
    let previousText = knowledge.sections.map { "## \($0.title)\n\n\($0.body)" }.joined(separator: "\n\n")
    info.version = version
    info.lastUpdated = date
    let revisedKnowledge = try KnowledgeBase(policy: info, sections: knowledge.sections)
    return PolicyData(
      home: home, knowledge: revisedKnowledge, catalog: catalog, jurisdictions: jurisdictions, gates: gates,
      decisions: decisions, consents: consents, requests: requests, codeBudgets: codeBudgets,
      disclosure: disclosure.adding(
        Disclosure.Version(version: version, date: date, summary: summary, material: material, archive: nil),
        archiving: previousText),
      understanding: understanding, composer: ReplyComposer(knowledge: revisedKnowledge, catalog: catalog))
  }

  private init(
    home: URL, knowledge: KnowledgeBase, catalog: IntentCatalog, jurisdictions: Jurisdictions, gates: GateSettings,
    decisions: DecisionCatalog, consents: ConsentCatalog, requests: RequestSettings, codeBudgets: CodeBudgets,
    disclosure: Disclosure, understanding: Understanding, composer: ReplyComposer
  ) {
    self.home = home
    self.knowledge = knowledge
    self.catalog = catalog
    self.jurisdictions = jurisdictions
    self.gates = gates
    self.decisions = decisions
    self.consents = consents
    self.requests = requests
    self.codeBudgets = codeBudgets
    self.disclosure = disclosure
    self.understanding = understanding
    self.composer = composer
  }

  /// One document per section and one per intent example.
  private static func documents(knowledge: KnowledgeBase, catalog: IntentCatalog) -> [SearchIndex.Document] {
    var documents: [SearchIndex.Document] = []
    let stopwords = catalog.lexicon.stopwords
    func meaningfulStems(_ text: String) -> Set<String> {
      Set(
        TextNormalizer.words(TextNormalizer.normalize(text)).filter { !stopwords.contains($0) }.map(
          TextNormalizer.roughStem))
    }
    for section in knowledge.sections {
      // A subsection is found by its parent's title too; a section by its subsections'
      // words, so that a question about the whole topic ("is this app safe?") finds the
      // topic rather than a passing mention elsewhere (without it PrivacyQA routing drops
      // from 70.5% to 69.8%, and three transcripts fail).
      let parentTitle = section.parentId.flatMap { knowledge.section($0)?.title } ?? ""
      let family = knowledge.children(of: section.id).map { child in
        ([child.title] + child.aliases + [child.body]).joined(separator: " | ")
      }
      documents.append(
        SearchIndex.Document(
          target: section.intentId, title: section.title, aliases: section.aliases.joined(separator: " | "),
          body: section.body, context: ([parentTitle] + family).joined(separator: " | "),
          aliasWords: section.aliases.map(meaningfulStems).filter { !$0.isEmpty },
          aliasTexts: Set(section.aliases.map(TextNormalizer.normalize))))
    }
    for intent in catalog.intents {
      for example in intent.examples {
        documents.append(
          SearchIndex.Document(
            target: intent.id, title: "", aliases: example, body: "", context: "",
            exampleWords: meaningfulStems(example)))
      }
    }
    return documents
  }
}
