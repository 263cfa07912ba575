import Foundation

/// The policy's sentences, indexed in memory, for answering a policy nobody wrote aliases
/// for (`answers: passages` in knowledge/policy.yaml).
///
/// A section of an imported policy is whatever its headings or paragraphs made it: often
/// long, often about several things. Ranking its sentences rather than the section as a
/// whole finds the sentence that answers, wherever it is. Measured on PolicyQA's 20
/// development policies (docs/QUALITY.md), bm25 on sentences answered 40.5 % against
/// 38.8 % on paragraphs with the same 1,500 characters, and dropping function words and
/// folding word endings added about three points more. The function words are the
/// lexicon's stopwords, the same the question's words are read without. Adding each
/// sentence's paragraph score (0.7 points) and feedback from the best sentences (0.6) is
/// measured there too.
struct PassageIndex: Sendable {
  /// One sentence (or list item) of a section, verbatim.
  struct Passage: Sendable, Equatable {
    let section: String
    /// The block (paragraph or list) of the section it is in, and its place there, so that
    /// neighbours are joined as the policy wrote them.
    let block: Int
    let position: Int
    let text: String
  }

  /// A passage with its score for a question.
  struct Match: Sendable, Equatable {
    let passage: Int
    let score: Double
    /// Share of the question's distinct terms the passage contains.
    let coverage: Double
  }

  let passages: [Passage]
  /// bm25 over the sentences, and over the blocks they are in (their context).
  private let sentenceTable: Table
  private let blockTable: Table
  /// Each block's passages (a row of `blockTable` to the passages in it).
  private let blockPassages: [Range<Int>]
  /// Each passage's terms.
  private let termsOf: [[String]]

  /// The lexicon's words that say nothing about the topic, left out of every term list.
  private let stopwords: Set<String>

  init(knowledge: KnowledgeBase, stopwords: Set<String>) {
    self.stopwords = stopwords
    var passages: [Passage] = []
    var sentenceTerms: [[String]] = []
    var blockTerms: [[String]] = []
    var blockPassages: [Range<Int>] = []
    for section in knowledge.sections {
      for (blockNumber, block) in section.blocks.enumerated() {
        var terms: [String] = []
        let first = passages.count
        for (position, sentence) in Self.sentences(of: block.text).enumerated() {
          passages.append(Passage(section: section.id, block: blockNumber, position: position, text: sentence))
          // A question in a policy is a heading ("What information do we collect?"): it
          // shares every word with the person's question and answers none of it.
          let own = sentence.hasSuffix("?") ? [] : Self.terms(sentence, leaving: stopwords)
          sentenceTerms.append(own)
          terms += own
        }
        blockTerms.append(terms)
        blockPassages.append(first..<passages.count)
      }
    }
    self.passages = passages
    self.blockPassages = blockPassages
    termsOf = sentenceTerms
    sentenceTable = Table(sentenceTerms)
    blockTable = Table(blockTerms)
  }

  /// bm25 over a list of texts, each given as its terms.
  private struct Table: Sendable {
    let postings: [String: [(row: Int, count: Int)]]
    let lengths: [Int]
    let averageLength: Double
    /// bm25's usual parameters; measured against k1 1.2 / b 0.5 and 0.9 / 0.4, they did best.
    let k1 = 1.5
    let b = 0.75

    init(_ rows: [[String]]) {
      var postings: [String: [(row: Int, count: Int)]] = [:]
      for (number, terms) in rows.enumerated() {
        var counts: [String: Int] = [:]
        for term in terms { counts[term, default: 0] += 1 }
        for (term, count) in counts { postings[term, default: []].append((number, count)) }
      }
      self.postings = postings
      lengths = rows.map(\.count)
      averageLength = lengths.isEmpty ? 1 : max(1, Double(lengths.reduce(0, +)) / Double(lengths.count))
    }

    /// A term's rarity: bm25's idf, which the feedback also weighs words by.
    func idf(_ term: String) -> Double {
      let containing = Double(postings[term]?.count ?? 0)
      return log((Double(lengths.count) - containing + 0.5) / (containing + 0.5) + 1)
    }

    /// One term's bm25 in each row that has it.
    func bm25(_ term: String) -> [(row: Int, score: Double)] {
      guard let list = postings[term] else { return [] }
      let idf = idf(term)
      return list.map { row, frequency in
        let tf = Double(frequency)
        let norm = k1 * (1 - b + b * Double(lengths[row]) / averageLength)
        return (row, idf * tf * (k1 + 1) / (tf + norm))
      }
    }

    /// Each row's score for the question's word groups (a group scores by its best term),
    /// and how many groups it matched; plus the expansion's terms at `share` each.
    func score(
      _ groups: [(terms: [(term: String, weight: Double)], weight: Double)], expansion: [String], share: Double
    )
      -> (scores: [Int: Double], matched: [Int: Int])
    {
      var scores: [Int: Double] = [:]
      var matched: [Int: Int] = [:]
      for group in groups {
        var best: [Int: Double] = [:]
        for (term, weight) in group.terms {
          for (row, score) in bm25(term) { best[row] = max(best[row] ?? 0, score * weight) }
        }
        for (row, score) in best {
          scores[row, default: 0] += score * group.weight
          matched[row, default: 0] += 1
        }
      }
      for term in expansion {
        for (row, score) in bm25(term) { scores[row, default: 0] += score * share }
      }
      return (scores, matched)
    }
  }

  /// Pseudo-relevance feedback: the words the best `passages` sentences share (by bm25
  /// score and rarity), `terms` of them, added to the question at `weight` together. A
  /// question put in other words than the policy's ("who receives my information?")
  /// reaches the sentences that use the policy's own ("we disclose … to our partners").
  struct Feedback: Sendable {
    var passages: Int
    var terms: Int
    var weight: Double
    static let none = Feedback(passages: 0, terms: 0, weight: 0)
  }

  private func addFeedback(to scores: inout [Int: Double], _ feedback: Feedback, leaving asked: Set<String>) {
    let top = scores.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(feedback.passages)
    var weights: [String: Double] = [:]
    for (passage, score) in top {
      for term in Set(termsOf[passage]) where !asked.contains(term) {
        weights[term, default: 0] += score * sentenceTable.idf(term)
      }
    }
    let words = weights.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(feedback.terms).map(\.key)
    let share = feedback.weight / Double(max(1, words.count)).squareRoot()
    for term in words {
      for (row, score) in sentenceTable.bm25(term) { scores[row, default: 0] += score * share }
    }
  }

  /// The passages that share a term with the question, best first (ties in policy order).
  func rank(_ question: String) -> [Match] {
    rank(
      TextNormalizer.words(TextNormalizer.normalize(question)).map {
        QueryTerm(word: $0, alternatives: [$0], weight: 1)
      })
  }

  /// The passages that share a term with the question's words, best first (ties in policy
  /// order). A word scores by its best alternative, a synonym at `synonymWeight` of the
  /// word itself, times the word's weight; a passage in `preferred` (the sections the
  /// question's topic names) scores `boost` times.
  ///
  /// `expansion` (a question shape's words) adds to the score at `expansionWeight`, shared
  /// out over its terms, but not to the coverage: that stays a share of the person's words.
  /// `contextWeight` adds the score of the sentence's block (its paragraph or list), so
  /// that a sentence in a paragraph about the question ranks above a stray one elsewhere.
  func rank(
    _ words: [QueryTerm], synonymWeight: Double = 0.5, preferred: Set<String> = [], boost: Double = 1,
    expansion: [String] = [], expansionWeight: Double = 0, contextWeight: Double = 0,
    feedback: Feedback = .none
  ) -> [Match] {
    var groups: [(terms: [(term: String, weight: Double)], weight: Double)] = []
    for word in words {
      var found: [(term: String, weight: Double)] = []
      for (number, alternative) in ([word.word] + word.alternatives).enumerated() {
        for term in terms(alternative) where !found.contains(where: { $0.term == term }) {
          found.append((term, number == 0 ? 1 : synonymWeight))
        }
      }
      if !found.isEmpty, !groups.contains(where: { $0.terms.first?.term == found.first?.term }) {
        groups.append((found, word.weight))
      }
    }
    guard !groups.isEmpty else { return [] }
    var added: [String] = []
    for term in expansion.flatMap(terms) where !added.contains(term) { added.append(term) }
    let share = added.isEmpty || expansionWeight <= 0 ? 0 : expansionWeight / Double(added.count).squareRoot()
    let expanded = share > 0 ? added : []
    var (scores, matched) = sentenceTable.score(groups, expansion: expanded, share: share)
    if contextWeight > 0 {
      let context = blockTable.score(groups, expansion: expanded, share: share).scores
      // Every sentence of a block that matched is a candidate, scored by its own words and
      // its block's; its coverage stays that of its own words.
      for (block, blockScore) in context {
        for passage in blockPassages[block] { scores[passage, default: 0] += contextWeight * blockScore }
      }
    }
    if feedback.passages > 0, feedback.weight > 0 {
      addFeedback(to: &scores, feedback, leaving: Set(groups.flatMap { $0.terms.map(\.term) } + expanded))
    }
    return scores.map { passage, score in
      Match(
        passage: passage, score: preferred.contains(passages[passage].section) ? score * boost : score,
        coverage: Double(matched[passage] ?? 0) / Double(groups.count))
    }.sorted { ($1.score, $0.passage) < ($0.score, $1.passage) }
  }

  /// A text's terms: its words without function words, their endings folded
  /// ("collected", "collection" → "collect").
  func terms(_ text: String) -> [String] {
    Self.terms(text, leaving: stopwords)
  }

  private static func terms(_ text: String, leaving stopwords: Set<String>) -> [String] {
    TextNormalizer.words(TextNormalizer.normalize(text)).filter { !stopwords.contains($0) }.map(stem)
  }

  /// Folds the common English endings, one per word, keeping a stem of three letters (four
  /// before "ly", so that "apply" stays whole); a final "y" becomes "i", so that "policy"
  /// and "policies", "cookie" and "cookies" meet. (Not ``TextNormalizer/roughStem(_:)``,
  /// which is for lexicon look-ups and leaves "policy"/"policies" and "process"/"processes"
  /// apart.)
  static func stem(_ word: String) -> String {
    var stem = word
    for (suffix, replacement) in endings
    where word.hasSuffix(suffix) && word.count - suffix.count >= (suffix == "ly" ? 4 : 3) {
      stem = String(word.dropLast(suffix.count)) + replacement
      break
    }
    if stem.hasSuffix("y"), stem.count > 3 { stem = String(stem.dropLast()) + "i" }
    return stem
  }

  private static let endings: [(String, String)] = [
    ("ations", ""), ("ation", ""), ("ings", ""), ("ing", ""), ("ies", "i"), ("ied", "i"), ("ers", ""), ("er", ""),
    ("ed", ""), ("es", ""), ("ss", "ss"), ("s", ""), ("ly", ""), ("e", ""),
  ]

  /// A block cut into sentences and list items, each verbatim: a sentence ends at ".",
  /// "!", "?", ";" or ":" before a space and a capital, a digit, a quote or a bracket;
  /// a list's items are its lines, without their Markdown dash.
  static func sentences(of block: String) -> [String] {
    var result: [String] = []
    for line in block.split(separator: "\n") {
      let characters = Array(line.hasPrefix("- ") ? line.dropFirst(2) : line)
      var start = 0
      var index = 0
      while index < characters.count {
        if ".!?;:".contains(characters[index]), index + 1 < characters.count, characters[index + 1].isWhitespace,
          characters[index] != "." || !Self.isAbbreviation(characters[start..<index])
        {
          var next = index + 1
          while next < characters.count, characters[next].isWhitespace { next += 1 }
          if next < characters.count,
            characters[next].isUppercase || characters[next].isNumber
              || "\"(“•-".contains(characters[next])
          {
            append(characters[start...index], to: &result)
            start = next
            index = next
            continue
          }
        }
        index += 1
      }
      append(characters[start...], to: &result)
    }
    return result
  }

  /// Whether the text before a full stop ends with an abbreviation rather than a sentence:
  /// "U.S." and "e.g." (a stop inside the word), an initial ("J."), or a title or company
  /// suffix ("Inc.", "Dr."). A policy that says "the U.S. Department of Commerce" is one
  /// sentence, so a question about it finds the whole of it.
  static func isAbbreviation(_ before: ArraySlice<Character>) -> Bool {
    let word = String(before.reversed().prefix { !$0.isWhitespace && $0 != "(" }.reversed())
    guard let first = word.first else { return false }
    // "U.S", "e.g": letters in ones and twos between stops (not "example.com").
    if word.contains(".") {
      return word.split(separator: ".").allSatisfy { $0.count <= 2 && $0.allSatisfy(\.isLetter) }
    }
    if word.count == 1 { return first.isUppercase }
    return abbreviations.contains(word.lowercased())
  }

  private static let abbreviations: Set<String> = [
    "inc", "ltd", "co", "corp", "llc", "plc", "mr", "mrs", "ms", "dr", "no", "nos", "st", "vs", "jr", "sr", "approx",
    "dept", "art", "sec", "para", "cf", "incl",
  ]

  private static func append(_ characters: ArraySlice<Character>, to result: inout [String]) {
    let text = String(characters).trimmingWhitespace
    if !text.isEmpty { result.append(text) }
  }
}
