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
}

/// Combines the rule layer and the retrieval layer into one ranked decision.
struct Understanding: Sendable {
  let catalog: IntentCatalog
  let analyzer: QueryAnalyzer
  let ranker: RetrievalRanker
  /// `rights.erasure` → `request.erasure`: the request that exercises a right.
  private let requestBySection: [String: String]

  init(catalog: IntentCatalog, index: SearchIndex) {
    self.catalog = catalog
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
    if let choice = pickedChoice(analyzed.normalized, from: choices) {
      return Interpretation(
        intent: choice, confidence: 1, method: .choice, analyzed: analyzed, terms: analyzed.terms, candidates: [])
    }
    let followUp =
      topic != nil && (analyzed.terms.isEmpty || catalog.cue("followup", matches: analyzed.normalized))
    var terms = analyzed.terms
    if followUp {
      let own = Set(terms.map(\.word))
      terms += topicTerms.filter { !own.contains($0.word) }.map {
        QueryTerm(word: $0.word, alternatives: $0.alternatives, weight: thresholds.contextWeight)
      }
    }
    let boost = followUp ? topic.map { RetrievalRanker.family(of: "policy." + $0) } : nil
    let ranked = ranker.rank(terms, phrases: analyzed.phrases, boostFamily: boost)
    let candidates = boostingKeywords(demotingDefinitions(ranked, text: analyzed.normalized), text: analyzed.normalized)
    var result = Interpretation(
      intent: "fallback", confidence: min(1, candidates.first?.score ?? 0), method: .fallback, analyzed: analyzed,
      terms: terms, candidates: candidates, followUpOf: followUp ? topic : nil)

    if let (intent, pattern) = ruleMatch(analyzed.normalized) {
      result.intent = intent
      result.confidence = thresholds.ruleConfidence
      result.method = .rule
      result.rule = pattern
      return result
    }
    guard let first = candidates.first, first.score >= thresholds.answer else { return result }
    let best = focused(first, among: candidates)
    result.method = .retrieval
    result.intent = refine(best.intent, text: analyzed.normalized)
    result.confidence = min(1, best.score)
    let rivals = candidates.filter {
      $0.score >= first.score * thresholds.clarifyRatio && isDistinct($0.intent, from: best.intent)
    }
    if best.score < thresholds.clarifyBelow, best.intent.hasPrefix("policy."),
      rivals.first?.intent.hasPrefix("policy.") == true
    {
      result.method = .clarification
      result.intent = "clarify"
      result.choices = [best.intent] + rivals.prefix(2).filter { $0.intent.hasPrefix("policy.") }.map(\.intent)
    }
    return result
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

  /// Glossary entries are short, so bm25 ranks them high for any word they share with a
  /// question; but they only answer questions about what a word means.
  private func demotingDefinitions(_ candidates: [Candidate], text: String) -> [Candidate] {
    guard !catalog.cue("definition", matches: text) else { return candidates }
    let families = Set(thresholds.definitionFamilies)
    return candidates.map { candidate in
      guard families.contains(RetrievalRanker.family(of: candidate.intent)) else { return candidate }
      var demoted = candidate
      demoted.score *= thresholds.definitionPenalty
      return demoted
    }.sorted { ($1.score, $0.intent) < ($0.score, $1.intent) }
  }

  /// Lends weight to the sections whose keywords the message uses. A section that
  /// retrieval missed altogether joins at the answer threshold, so that a keyword alone
  /// can answer only when nothing else does.
  private func boostingKeywords(_ candidates: [Candidate], text: String) -> [Candidate] {
    guard !candidates.isEmpty else { return candidates }
    let range = NSRange(text.startIndex..., in: text)
    var boosted = candidates
    for intent in catalog.intents
    where intent.keywords.contains(where: { $0.regex.firstMatch(in: text, range: range) != nil }) {
      var found = false
      for index in boosted.indices
      where boosted[index].intent == intent.id || boosted[index].intent.hasPrefix(intent.id + ".") {
        boosted[index].score *= thresholds.keywordBoost
        found = true
      }
      if !found {
        boosted.append(Candidate(intent: intent.id, score: thresholds.answer, coverage: 0, bm25: 0))
      }
    }
    return boosted.sorted { ($1.score, $0.intent) < ($0.score, $1.intent) }
  }

  /// The first intent whose pattern matches, if its cue (if any) also matches.
  private func ruleMatch(_ text: String) -> (String, String)? {
    let range = NSRange(text.startIndex..., in: text)
    for intent in catalog.intents {
      for pattern in intent.patterns where pattern.regex.firstMatch(in: text, range: range) != nil {
        if let cue = intent.requires, !catalog.cue(cue, matches: text) { continue }
        return (intent.id, pattern.source)
      }
    }
    return nil
  }

  /// Retrieval finds the topic; the phrasing decides between explaining a right and
  /// taking a request to exercise it.
  private func refine(_ intent: String, text: String) -> String {
    if intent.hasPrefix("policy.") {
      let section = String(intent.dropFirst("policy.".count))
      if let request = requestBySection[section], catalog.cue("request", matches: text) {
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
    func section(_ intent: String) -> String? {
      if intent.hasPrefix("policy.") { return String(intent.dropFirst("policy.".count)) }
      return catalog.intent(intent)?.section
    }
    guard let x = section(a), let y = section(b) else { return a != b }
    return x != y && !x.hasPrefix(y + ".") && !y.hasPrefix(x + ".")
  }

  /// "2", "the second one", "first" after a clarification question.
  private func pickedChoice(_ text: String, from choices: [String]) -> String? {
    guard !choices.isEmpty else { return nil }
    let ordinals = [["1", "one", "first"], ["2", "two", "second"], ["3", "three", "third"]]
    let words = Set(TextNormalizer.words(text)).subtracting(["the", "number", "option", "please", "no", "yes"])
    guard words.count <= 2 else { return nil }
    for (position, names) in ordinals.enumerated() where position < choices.count {
      if !words.isDisjoint(with: names) && words.isSubset(of: Set(names + ["one"])) {
        return choices[position]
      }
    }
    return nil
  }
}
