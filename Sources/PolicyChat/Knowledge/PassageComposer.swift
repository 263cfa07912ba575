/// Answers from the best sentences of the whole policy (``PassageIndex``), quoted verbatim
/// and grouped by the section they come from, each group with its citation.
struct PassageComposer: Sendable {
  let knowledge: KnowledgeBase
  let index: PassageIndex
  /// The most characters of quoted policy text in one answer.
  let budget: Int
  /// A passage scoring below this fraction of the best is left out, however much room is left.
  let relativeScore: Double

  init(knowledge: KnowledgeBase, lexicon: Lexicon, thresholds: Thresholds) {
    self.knowledge = knowledge
    index = PassageIndex(knowledge: knowledge, stopwords: lexicon.stopwords)
    budget = thresholds.passageCharacters
    relativeScore = thresholds.passageRelativeScore
  }

  struct Answer: Sendable {
    /// One reply per section quoted: one section's ends with its citation; several are
    /// numbered, and the last reply names them all.
    var replies: [String]
    /// The sections quoted, the best first.
    var sources: [String]
  }

  /// The passages that fit the budget, best first; nil when none matched.
  func answer(_ matches: [PassageIndex.Match]) -> Answer? {
    guard let best = matches.first else { return nil }
    var chosen: [PassageIndex.Passage] = []
    var length = 0
    for match in matches where match.score >= best.score * relativeScore {
      let passage = index.passages[match.passage]
      // A long passage that does not fit leaves room for a shorter one ranked after it.
      guard chosen.isEmpty || length + passage.text.count + 1 <= budget else { continue }
      chosen.append(passage)
      length += passage.text.count + 1
      if length >= budget { break }
    }
    var order: [String] = []
    var bySection: [String: [PassageIndex.Passage]] = [:]
    for passage in chosen {
      if bySection[passage.section] == nil { order.append(passage.section) }
      bySection[passage.section, default: []].append(passage)
    }
    let quotes = order.map { section in
      quote((bySection[section] ?? []).sorted { ($0.block, $0.position) < ($1.block, $1.position) })
    }
    guard quotes.count > 1, let last = quotes.last else {
      return Answer(replies: quotes.map { $0 + "\n\n" + knowledge.citation(for: order[0]) }, sources: order)
    }
    // Several sections: each quote is marked with a number and the sections are named
    // once, after the quotes, so that the policy's words come first and the citations
    // do not repeat a heading before every sentence.
    var replies = quotes.enumerated().map { "\($0.element) [\($0.offset + 1)]" }
    let cited = order.enumerated().map { "[\($0.offset + 1)] " + knowledge.citationPath(for: $0.element) }
    replies[replies.count - 1] = "\(last) [\(quotes.count)]\n\nFrom: " + cited.joined(separator: "; ")
    return Answer(replies: replies, sources: order)
  }

  /// A section's chosen sentences in policy order: neighbours joined as written, a gap
  /// marked with an ellipsis so that the quote never reads as one continuous passage.
  private func quote(_ passages: [PassageIndex.Passage]) -> String {
    var text = ""
    var previous: PassageIndex.Passage?
    for passage in passages {
      if let previous {
        let adjacent = previous.block == passage.block && previous.position + 1 == passage.position
        text += adjacent ? " " : " … "
      }
      text += passage.text
      previous = passage
    }
    return text
  }
}
