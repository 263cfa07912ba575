import Foundation

/// What a message means, before any reply is written.
struct Interpretation: Sendable {
  var intent: String
  var confidence: Double
  var method: Trace.Method
  var rule: String?
  var analyzed: AnalyzedText
  /// The terms retrieval used, including any carried over from the previous topic.
  var terms: [QueryTerm]
  var candidates: [Candidate]
  var followUpOf: String?
  /// For a clarification: the intents offered.
  var choices: [String] = []
  /// A question about a right ("can I get a copy of my data?"): the request the answer
  /// offers to take, without starting it.
  var offer: String?
  /// The topics a `policy.not_covered` answer says the policy does not cover.
  var notCovered: [String] = []
}

/// Combines the rule layer and the retrieval layer into one ranked decision.
struct Understanding: Sendable {
  let catalog: IntentCatalog
  let analyzer: QueryAnalyzer
  let ranker: RetrievalRanker
  /// `rights.erasure` → `request.erasure`: the request that exercises a right.
  private let requestBySection: [String: String]

  /// Each section's topics, in policy order, for follow-ups that ask about another topic
  /// of the same family ("why?" after a question about what is collected).
  private let sectionTopics: [(id: String, topics: [String])]

  init(catalog: IntentCatalog, index: SearchIndex, knowledge: KnowledgeBase) {
    self.catalog = catalog
    sectionTopics = knowledge.sections.map { ($0.id, $0.topics) }
    analyzer = QueryAnalyzer(lexicon: catalog.lexicon, index: index)
    ranker = RetrievalRanker(index: index, thresholds: catalog.thresholds)
    var map: [String: String] = [:]
    for intent in catalog.intents {
      if let section = intent.section { map[section] = intent.id }
    }
    requestBySection = map
  }

  private var thresholds: Thresholds { catalog.thresholds }

  func interpret(_ text: String, topic: String?, topicTerms: [QueryTerm], choices: [String]) -> Interpretation {
    let analyzed = analyzer.analyze(text)
    let message = MatchText(analyzed.normalized)
    switch pickedChoice(analyzed.normalized, from: choices) {
    case .picked(let choice):
      return Interpretation(
        intent: choice, confidence: 1, method: .choice, analyzed: analyzed, terms: analyzed.terms, candidates: [])
    case .outOfRange:
      // "3" when two were offered: ask again rather than search for the word "3".
      return Interpretation(
        intent: "clarify", confidence: 1, method: .clarification, analyzed: analyzed, terms: [], candidates: [],
        choices: choices)
    case nil:
      break
    }
    let followUp =
      topic != nil && (analyzed.terms.isEmpty || catalog.cue("followup", matches: message))
    var terms = analyzed.terms.map(weighingTopicWords)
    if followUp {
      // The previous topic's words, except those the message already says in some form.
      // Together they weigh at most contextWeight times the message's own words, so that
      // a long earlier question cannot drown a short new one ("what about my rights?").
      let own = Set(terms.flatMap(\.alternatives))
      let carried = topicTerms.filter { own.isDisjoint(with: $0.alternatives) }
      let share = carried.isEmpty ? 0 : min(1, Double(max(terms.count, 1)) / Double(carried.count))
      terms += carried.map {
        QueryTerm(word: $0.word, alternatives: $0.alternatives, weight: thresholds.contextWeight * share)
      }
    }
    let switching = catalog.cue("switch", matches: message)
    let boost = followUp && !switching ? topic.map { RetrievalRanker.family(of: "policy." + $0) } : nil
    let ranked = ranker.rank(terms, phrases: analyzed.phrases, message: analyzed.normalized, boostFamily: boost)
    let candidates = boostingKeywords(applyingPriors(ranked, text: message), text: message)
    var result = Interpretation(
      intent: "fallback", confidence: min(1, candidates.first?.score ?? 0), method: .fallback, analyzed: analyzed,
      terms: terms, candidates: candidates, followUpOf: followUp ? topic : nil)

    if let topic, !switching, let (intent, rule) = followUpTopic(message, after: topic) {
      result.intent = intent
      result.method = .rule
      result.confidence = thresholds.ruleConfidence
      result.rule = rule
      result.followUpOf = topic
      return result
    }

    // Something else that shares a word with the policy ("translate 'privacy policy'"):
    // the fallback, decided by the cue, before any section can claim the shared word.
    if let pattern = (catalog.cues["out_of_scope"] ?? []).first(where: { $0.matches(message) }) {
      result.method = .rule
      result.confidence = thresholds.ruleConfidence
      result.rule = pattern.source
      return result
    }
    if let (intent, pattern) = ruleMatch(message) {
      result.intent = focused(rule: intent, among: candidates)
      result.confidence = thresholds.ruleConfidence
      result.method = .rule
      // `/why` says the rule's section was narrowed, so the pattern and the chosen part
      // do not seem to disagree.
      result.rule =
        result.intent == intent
        ? pattern
        : pattern + " (it names \(intent); narrowed to its part \(result.intent), which your words match best)"
      answeringRightQuestion(&result, message: message)
      return result
    }
    guard let first = candidates.first, first.score >= thresholds.answer else {
      // Nothing in the policy answers, but the words name a topic it does not cover ("how
      // old do I have to be?"): say the policy does not say, with the contact.
      for intent in catalog.intents where !intent.uncovered.isEmpty {
        guard let keyword = intent.keywords.first(where: { $0.matches(message) }) else { continue }
        result.intent = intent.id
        result.confidence = thresholds.ruleConfidence
        result.method = .rule
        result.rule = keyword.source
        break
      }
      return result
    }
    let best = focused(first, among: candidates)
    result.method = .retrieval
    result.intent = refine(best.intent, text: message)
    result.confidence = min(1, best.score)
    // Ask which was meant when other answers score as well as the best, and the message
    // is too weak to tell them apart: a low score, or a single word ("consent").
    var choices = [best.intent]
    for candidate in candidates
    where candidate.score >= first.score * thresholds.clarifyRatio && candidate.intent.hasPrefix("policy.")
      && choices.allSatisfy({ isDistinct(candidate.intent, from: $0) }) && choices.count < 3
    {
      choices.append(candidate.intent)
    }
    let weak = best.score < thresholds.clarifyBelow || analyzed.terms.count == 1
    if weak, choices.count > 1, best.intent.hasPrefix("policy."), result.intent.hasPrefix("policy.") {
      result.method = .clarification
      result.intent = "clarify"
      result.choices = choices
    }
    answeringRightQuestion(&result, message: message)
    return result
  }

  /// "Why?", "how long?", "with whom?" after an answer: the section of the last topic's
  /// family that carries the topic asked for (purposes, retention, sharing), else the
  /// policy's intent for that topic (which answers from every section carrying it, or says
  /// the policy does not cover it). Nil when the message is not such a follow-up, or when
  /// the family's own section carries the topic.
  private func followUpTopic(_ message: MatchText, after topic: String) -> (String, String)? {
    guard catalog.cue("followup_question", matches: message) else { return nil }
    for (shape, wanted) in (catalog.lexicon.followUpTopics ?? [:]).sorted(by: { $0.key < $1.key })
    where catalog.cue(shape, matches: message) {
      let family = RetrievalRanker.family(of: "policy." + topic)
      let carries = { (id: String) in sectionTopics.first(where: { $0.id == id })?.topics.contains(wanted) == true }
      let rule = "a follow-up (followup_question, \(shape)): \(wanted), after \(topic)"
      // The last answer was about it: the same again ("with whom?" twice).
      if carries(topic) { return ("policy." + topic, rule) }
      // Its family's own section is about it: the ordinary follow-up (the family's words,
      // boosted) finds the part that answers ("how long for?" after where data is stored).
      if carries(family) { return nil }
      let inFamily = sectionTopics.first { entry in
        (entry.id == family || entry.id.hasPrefix(family + ".")) && entry.topics.contains(wanted)
      }
      if let inFamily { return ("policy." + inFamily.id, rule) }
      if let intent = catalog.intents.first(where: { $0.id.hasPrefix("policy.") && $0.topics == [wanted] }) {
        return (intent.id, rule)
      }
    }
    return nil
  }

  /// A request met as a question about the right ("can I…?", "how do I…?") is answered
  /// from the right's section, with the request offered: the age screen and the e-mail
  /// address are asked only once the person asks to act. A right the policy does not
  /// explain is said to be so, and still offered: the law gives it.
  private func answeringRightQuestion(_ result: inout Interpretation, message: MatchText) {
    guard result.intent.hasPrefix("request."), let request = catalog.intent(result.intent),
      request.topic != nil || request.section != nil, catalog.cue("right_question", matches: message),
      !catalog.cue("act_now", matches: message)
    else { return }
    result.offer = request.id
    if let section = request.section {
      result.intent = "policy." + section
    } else {
      result.intent = ReplyComposer.notCoveredIntent
      result.notCovered = request.topic.map { [$0] } ?? []
    }
  }

  /// Chooses between a section and its subsections. A subsection that scores nearly as well
  /// as the best of its family, and clearly better than its siblings, is the focused
  /// answer ("how long do you keep my data?" → the retention periods). When the family's
  /// subsections score alike, the question is about the whole family ("what are my
  /// rights?", "do you collect data from children?"), and the section answers.
  private func focused(_ best: Candidate, among candidates: [Candidate]) -> Candidate {
    guard best.intent.hasPrefix("policy.") else { return best }
    let section = String(best.intent.dropFirst("policy.".count))
    let parentId = "policy." + (section.split(separator: ".").first.map(String.init) ?? section)
    guard let parent = candidates.first(where: { $0.intent == parentId }) else { return best }
    let children = candidates.filter { $0.intent.hasPrefix(parentId + ".") }
    guard let child = children.first, child.score >= parent.score * thresholds.childPreference else {
      return parent.score >= best.score * thresholds.childPreference ? parent : best
    }
    if children.count > 1, children[1].score >= child.score * thresholds.childStandout {
      return parent.score >= child.score * thresholds.childPreference ? parent : best
    }
    return child
  }

  /// A rule names a section ("does the app read my messages?" → what is collected);
  /// within it, a part that retrieval finds clearly more telling than the whole section
  /// (the whole scores below `childPreference` of it), and clearly more than its other
  /// parts, answers instead ("do you collect my phone number?" → contact details), while
  /// a broad question keeps the whole section ("what data do you collect about me?").
  /// Retrieval that does not find the section at all, or finds none of the question's
  /// words in the part (a "why?" whose words are all stop words), is no evidence, and the
  /// rule's section stands; so does a rule that names no section (a request, a greeting).
  private func focused(rule intent: String, among candidates: [Candidate]) -> String {
    guard intent.hasPrefix("policy."),
      let whole = candidates.first(where: { $0.intent == intent })
    else { return intent }
    // Candidates are sorted best first, and so are these.
    let parts = candidates.filter { $0.intent.hasPrefix(intent + ".") }
    guard let part = parts.first, part.bm25 > 0, part.score * thresholds.childPreference > whole.score else {
      return intent
    }
    if parts.count > 1, parts[1].score >= part.score * thresholds.childStandout { return intent }
    return part.intent
  }

  /// Applies the family priors of the thresholds file: some parts of the policy answer
  /// only certain kinds of question. The glossary's entries are short, so bm25 ranks them
  /// high for any word they share with a question, but they answer only "what is X?".
  private func applyingPriors(_ candidates: [Candidate], text: MatchText) -> [Candidate] {
    let active = thresholds.priors.filter { prior in
      (prior.when.map { catalog.cue($0, matches: text) } ?? true)
        && !(prior.unless.map { catalog.cue($0, matches: text) } ?? false)
    }
    guard !active.isEmpty else { return candidates }
    return candidates.map { candidate in
      var adjusted = candidate
      // Compared as a prefix, not cut out: `policy.` + family, then the end or a dot.
      for prior in active where RetrievalRanker.isIn(candidate.intent, family: prior.family) {
        adjusted.score *= prior.factor
      }
      return adjusted
    }.sorted { ($1.score, $0.intent) < ($0.score, $1.intent) }
  }

  /// A word that some section names as a keyword ("share", "secure") says what the
  /// question is about, so it weighs more than the question's other words.
  private func weighingTopicWords(_ term: QueryTerm) -> QueryTerm {
    let word = MatchText(term.word)
    let isTopic = catalog.intents.contains { intent in intent.keywords.contains { $0.matches(word) } }
    guard isTopic else { return term }
    var weighted = term
    weighted.weight *= thresholds.topicWordWeight
    return weighted
  }

  /// Lends weight to the sections whose keywords the message uses. A section that
  /// retrieval missed altogether joins at the answer threshold, so that a keyword alone
  /// can answer only when nothing else does.
  private func boostingKeywords(_ candidates: [Candidate], text: MatchText) -> [Candidate] {
    guard !candidates.isEmpty else { return candidates }
    var boosted = candidates
    for intent in catalog.intents where intent.keywords.contains(where: { $0.matches(text) }) {
      // The sections the intent answers from, and theirs: on another policy its topics'.
      let families = [intent.id] + intent.answer.map { "policy." + $0 }
      var found = false
      for index in boosted.indices
      where families.contains(where: { boosted[index].intent == $0 || boosted[index].intent.hasPrefix($0 + ".") }) {
        boosted[index].score *= thresholds.keywordBoost
        found = true
      }
      if !found {
        boosted.append(Candidate(intent: intent.id, score: thresholds.answer, coverage: 0, bm25: 0))
      }
    }
    return boosted.sorted { ($1.score, $0.intent) < ($0.score, $1.intent) }
  }

  /// The intent a rule gives the normalised text, if any, without retrieval.
  func ruleIntent(_ normalized: String) -> String? {
    ruleMatch(normalized)?.0
  }

  /// The first intent whose pattern matches, if its cue (if any) also matches.
  private func ruleMatch(_ text: String) -> (String, String)? {
    ruleMatch(MatchText(text))
  }

  private func ruleMatch(_ text: MatchText) -> (String, String)? {
    for intent in catalog.intents {
      for pattern in intent.patterns where pattern.matches(text) {
        if let cue = intent.requires, !catalog.cue(cue, matches: text) { continue }
        return (intent.id, pattern.source)
      }
    }
    return nil
  }

  /// Retrieval finds the topic; the phrasing decides between explaining a right and
  /// taking a request to exercise it.
  private func refine(_ intent: String, text: MatchText) -> String {
    if intent.hasPrefix("policy.") {
      if let section = catalog.sectionId(of: intent), let request = requestBySection[section],
        catalog.cue("request", matches: text)
      {
        return request
      }
      return intent
    }
    // A request example matched, but without a request phrasing it is a question about the right.
    if let section = catalog.intent(intent)?.section, !catalog.cue("request", matches: text) {
      return "policy." + section
    }
    return intent
  }

  /// Whether two candidates are different answers rather than one topic reached twice
  /// (a section and its parent, or a right and the request for it).
  private func isDistinct(_ a: String, from b: String) -> Bool {
    func section(_ intent: String) -> String? { catalog.sectionId(of: intent) }
    guard let x = section(a), let y = section(b) else { return a != b }
    return x != y && !x.hasPrefix(y + ".") && !y.hasPrefix(x + ".")
  }

  enum Pick {
    case picked(String)
    case outOfRange
  }

  /// "2", "the second one", "first" after a clarification question.
  private func pickedChoice(_ text: String, from choices: [String]) -> Pick? {
    guard !choices.isEmpty else { return nil }
    let ordinals = [
      ["1", "one", "first"], ["2", "two", "second"], ["3", "three", "third"], ["4", "four", "fourth"],
      ["5", "five", "fifth"],
    ]
    let words = Set(TextNormalizer.words(text)).subtracting(["the", "number", "option", "please", "no", "yes"])
    guard words.count <= 2 else { return nil }
    for (position, names) in ordinals.enumerated()
    where !words.isDisjoint(with: names) && words.isSubset(of: Set(names + ["one"])) {
      return position < choices.count ? .picked(choices[position]) : .outOfRange
    }
    return nil
  }
}
