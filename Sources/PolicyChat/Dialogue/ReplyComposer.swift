/// Writes the replies and sources of a turn from an interpretation.
struct ReplyComposer: Sendable {
  let knowledge: KnowledgeBase
  let catalog: IntentCatalog
  let answers: AnswerComposer
  /// For a home that answers from passages (`answers: passages`), else nil.
  let passages: PassageComposer?
  /// The placeholder values that never change, worked out once rather than per reply.
  private let fixedValues: [String: String]
  /// The policy's main sections, lower case, for `{topics}` and suggestions.
  private let topics: String

  init(knowledge: KnowledgeBase, catalog: IntentCatalog) {
    self.knowledge = knowledge
    self.catalog = catalog
    answers = AnswerComposer(knowledge: knowledge, maxCharacters: catalog.thresholds.maxAnswerCharacters)
    passages =
      knowledge.policy.answers == .passages
      ? PassageComposer(knowledge: knowledge, lexicon: catalog.lexicon, thresholds: catalog.thresholds) : nil
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
    appendOffer(interpretation, to: &composed)
    return composed
  }

  private func appendOffer(_ interpretation: Interpretation, to composed: inout Composed) {
    guard let request = interpretation.offer else { return }
    let definition = catalog.intent(request)
    let phrase = definition?.offer ?? definition?.examples.first ?? request
    composed.replies.append(
      Reply(text: render(catalog.intent(Self.offerIntent)?.reply ?? "", interpretation, extra: ["phrase": phrase])))
  }

  /// In a home that answers from passages: a policy question, or one nothing else answered
  /// whose words the policy uses, answered with the best sentences of the whole policy
  /// (the sections its topic names weigh more). The interpretation becomes what was
  /// answered, so that /why explains this answer and follow-ups continue from it. Nil
  /// when the home answers from sections, or when no sentence qualifies.
  func passageAnswer(_ interpretation: inout Interpretation) -> Composed? {
    guard let passages else { return nil }
    let intent = interpretation.intent
    var preferred: [String] = []
    // A topic the import found no section for may still be in the policy's words (the
    // topic cues are a heuristic): the sentences are evidence enough when they carry most
    // of the question, as for a question nothing else answered.
    let uncovered =
      intent == Self.notCoveredIntent
      || (intent.hasPrefix("policy.") && !(catalog.intent(intent)?.uncovered.isEmpty ?? true))
    let unanswered = interpretation.method == .fallback || interpretation.method == .clarification || uncovered
    if interpretation.method == .clarification {
      preferred = interpretation.choices.compactMap(catalog.sectionId(of:))
    } else if intent.hasPrefix("policy."), !uncovered {
      preferred = answerSections(of: intent)
    } else if !unanswered {
      return nil
    }
    // "3" when two topics were offered, or a message of no words: nothing to search for.
    if unanswered, interpretation.terms.isEmpty { return nil }
    let family = Set(
      knowledge.sections.map(\.id).filter { id in preferred.contains { id == $0 || id.hasPrefix($0 + ".") } })
    let thresholds = catalog.thresholds
    let shapes = catalog.shapes(matching: interpretation.analyzed.normalized)
    let matches =
      interpretation.terms.isEmpty
      ? passages.index.rank(interpretation.analyzed.normalized)
      : passages.index.rank(
        interpretation.terms, synonymWeight: thresholds.synonymWeight, preferred: family,
        // A follow-up that asked for another topic ("why?") is about that topic's sections.
        boost: interpretation.followUpOf != nil && interpretation.method == .rule
          ? thresholds.followupBoost : thresholds.passageSectionBoost, expansion: shapes.flatMap(\.words),
        expansionWeight: thresholds.shapeWeight, contextWeight: thresholds.passageContextWeight,
        feedback: PassageIndex.Feedback(
          passages: thresholds.passageFeedbackPassages, terms: thresholds.passageFeedbackTerms,
          weight: thresholds.passageFeedbackWeight))
    // The best few sentences by score (their own words, their block's and the feedback's):
    // one of them must hold the share of the person's words.
    let coverage = matches.prefix(5).map(\.coverage).max() ?? 0
    if unanswered, coverage < thresholds.passageMinimumCoverage { return nil }
    guard let answer = passages.answer(matches), let best = answer.sources.first else {
      return nil
    }
    if unanswered {
      interpretation.intent = "policy." + best
      interpretation.choices = []
      interpretation.notCovered = []
    }
    // /why explains what answered: the sentences, the shapes that added words, and the
    // sections of the best sentences with their scores.
    interpretation.method = .passages
    interpretation.confidence = coverage
    interpretation.rule =
      shapes.isEmpty ? nil : shapes.map { "\($0.name) (\($0.words.joined(separator: " ")))" }.joined(separator: "; ")
    var seen: Set<String> = []
    interpretation.candidates = matches.prefix(20).compactMap { match in
      let section = passages.index.passages[match.passage].section
      guard seen.insert(section).inserted else { return nil }
      return Candidate(intent: "policy." + section, score: match.score, coverage: match.coverage, bm25: match.score)
    }
    var composed = Composed(
      replies: answer.replies.map { Reply(text: $0) },
      sources: answer.sources.compactMap { id in knowledge.section(id).map { SourceReference(id: id, title: $0.title) }
      },
      topic: best)
    appendOffer(interpretation, to: &composed)
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
      let ids = answerSections(of: intent)
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

  /// The sections a `policy.*` intent answers from: a topic intent's, every section that
  /// carries its topics; a section's own intent, that section.
  private func answerSections(of intent: String) -> [String] {
    catalog.intent(intent).map(\.answer).flatMap { $0.isEmpty ? nil : $0 }
      ?? [String(intent.dropFirst("policy.".count))]
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
        "\(number + 1). " + (title(of: intent) ?? about(intent))
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
      // A topic no section of this policy carries (an imported home's uncovered topic) has
      // no title to show; its intent id is not for people.
      guard let title = title(of: candidate.intent), !titles.contains(title) else { continue }
      titles.append(title)
    }
    if titles.isEmpty {
      return "I can tell you about: " + topics + "."
    }
    return "The closest topics I know are: " + titles.joined(separator: "; ") + "."
  }

  /// What an intent without a section is about, in words ("who personal information is
  /// shared with"), never its id.
  private func about(_ intent: String) -> String {
    let topic = catalog.intent(intent).flatMap { $0.topics.first ?? $0.topic }.flatMap(Topic.named)
    return topic?.about ?? "another part of the policy"
  }

  /// "Cookies > Consent Requirements" for `policy.cookies.consent`; nil for an intent that
  /// answers from no section of this policy.
  private func title(of intent: String) -> String? {
    guard let id = catalog.sectionId(of: intent) else { return nil }
    let path = knowledge.path(to: id)
    return path.isEmpty ? nil : path.map(\.title).joined(separator: " > ")
  }
}
