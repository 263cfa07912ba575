/// Writes the replies and sources of a turn from an interpretation.
struct ReplyComposer: Sendable {
  let knowledge: KnowledgeBase
  let catalog: IntentCatalog
  let answers: AnswerComposer
  /// The placeholder values that never change, worked out once rather than per reply.
  private let fixedValues: [String: String]
  /// The policy's main sections, lower case, for `{topics}` and suggestions.
  private let topics: String

  init(knowledge: KnowledgeBase, catalog: IntentCatalog) {
    self.knowledge = knowledge
    self.catalog = catalog
    answers = AnswerComposer(knowledge: knowledge, maxCharacters: catalog.thresholds.maxAnswerCharacters)
    let policy = knowledge.policy
    topics = knowledge.sections.filter { $0.parentId == nil }.map { $0.title.lowercased() }.joined(separator: ", ")
    fixedValues = [
      "organisation": policy.organisation,
      "contact": policy.contact,
      "version": policy.version,
      "lastUpdated": policy.lastUpdated,
      "topics": topics,
      "commands": SlashCommand.all.map(\.name).joined(separator: ", "),
    ]
  }

  struct Composed {
    var replies: [Reply]
    var sources: [SourceReference]
    /// The section the conversation is now about, if any.
    var topic: String?
  }

  func compose(_ interpretation: Interpretation) -> Composed {
    var composed = composeAnswer(interpretation)
    if let request = interpretation.offer {
      let definition = catalog.intent(request)
      let phrase = definition?.offer ?? definition?.examples.first ?? request
      composed.replies.append(
        Reply(text: render(catalog.intent(Self.offerIntent)?.reply ?? "", interpretation, extra: ["phrase": phrase])))
    }
    return composed
  }

  /// The reply that offers to take a request after answering a question about the right.
  static let offerIntent = "request.offer"

  private func composeAnswer(_ interpretation: Interpretation) -> Composed {
    let intent = interpretation.intent
    if intent == Self.notCoveredIntent, !interpretation.notCovered.isEmpty {
      return notCovered(interpretation.notCovered, interpretation)
    }
    if intent.hasPrefix("policy.") {
      if let definition = catalog.intent(intent), !definition.uncovered.isEmpty {
        return notCovered(definition.uncovered, interpretation)
      }
      // A topic intent answers from every section that carries its topics.
      let ids =
        catalog.intent(intent).map(\.answer).flatMap { $0.isEmpty ? nil : $0 }
        ?? [String(intent.dropFirst("policy.".count))]
      return sections(ids, interpretation: interpretation, topic: ids[0])
    }
    guard let definition = catalog.intent(intent) else {
      return Composed(replies: [Reply(text: render("{suggestions}", interpretation))], sources: [])
    }
    var composed = sections(definition.answer, interpretation: interpretation, topic: definition.section)
    if let reply = definition.reply {
      composed.replies.append(Reply(text: render(reply, interpretation)))
    }
    return composed
  }

  /// "The policy does not say …": a topic no section of this policy carries is answered
  /// as such, with the contact, never with the nearest section that is about something else.
  private func notCovered(_ topics: [String], _ interpretation: Interpretation) -> Composed {
    let about = topics.compactMap { Topic.named($0)?.about }.joined(separator: ", or ")
    let template = catalog.intent(Self.notCoveredIntent)?.reply ?? ""
    return Composed(replies: [Reply(text: render(template, interpretation, extra: ["about": about]))], sources: [])
  }

  /// The intent whose reply says the policy does not cover a topic.
  static let notCoveredIntent = "policy.not_covered"

  /// A reply made only from an intent's template, e.g. the opening disclosure.
  func templateReply(_ intent: String) -> String {
    render(catalog.intent(intent)?.reply ?? "", nil)
  }

  /// An intent's reply with extra placeholder values (a country, a reference, ...).
  func templateReply(_ intent: String, values: [String: String]) -> String {
    render(catalog.intent(intent)?.reply ?? "", nil, extra: values)
  }

  /// Any text with the usual and the extra placeholder values, e.g. a decision's logic.
  func render(_ template: String, values: [String: String]) -> String {
    render(template, nil, extra: values)
  }

  private func sections(_ ids: [String], interpretation: Interpretation, topic: String?) -> Composed {
    var composed = Composed(replies: [], sources: [], topic: topic)
    for id in ids {
      // The subsection retrieval ranked highest, for a section that only introduces its topic.
      let bestChild = interpretation.candidates.lazy.map(\.intent).first { $0.hasPrefix("policy.\(id).") }
        .map { String($0.dropFirst("policy.".count)) }
      guard let answer = answers.answer(from: id, terms: interpretation.terms, bestChild: bestChild) else { continue }
      composed.replies.append(Reply(text: answer.text))
      composed.sources += answer.sources.compactMap { source in
        knowledge.section(source).map { SourceReference(id: source, title: $0.title) }
      }
    }
    return composed
  }

  private func render(_ template: String, _ interpretation: Interpretation?, extra: [String: String] = [:]) -> String {
    var values = fixedValues
    if let interpretation {
      values["choices"] = interpretation.choices.enumerated().map { number, intent in
        "\(number + 1). " + title(of: intent)
      }.joined(separator: "\n")
      values["suggestions"] = suggestions(interpretation)
    }
    values.merge(extra) { _, new in new }
    return ReplyTemplate(values: values).render(template)
  }

  /// The closest policy topics, even below the answer threshold, to help the person rephrase.
  private func suggestions(_ interpretation: Interpretation) -> String {
    var titles: [String] = []
    for candidate in interpretation.candidates where candidate.intent.hasPrefix("policy.") && titles.count < 3 {
      let title = title(of: candidate.intent)
      if !titles.contains(title) { titles.append(title) }
    }
    if titles.isEmpty {
      return "I can tell you about: " + topics + "."
    }
    return "The closest topics I know are: " + titles.joined(separator: "; ") + "."
  }

  /// "Cookies > Consent Requirements" for `policy.cookies.consent`.
  private func title(of intent: String) -> String {
    let id = catalog.sectionId(of: intent) ?? intent
    let path = knowledge.path(to: id)
    return path.isEmpty ? intent : path.map(\.title).joined(separator: " > ")
  }
}
