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
/// lexicon's stopwords, the same the question's words are read without.
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
  private let postings: [String: [(passage: Int, count: Int)]]
  private let lengths: [Int]
  private let averageLength: Double
  /// bm25's usual parameters; measured against k1 1.2 / b 0.5 and 0.9 / 0.4, they did best.
  private let k1 = 1.5
  private let b = 0.75

  /// The lexicon's words that say nothing about the topic, left out of every term list.
  private let stopwords: Set<String>

  init(knowledge: KnowledgeBase, stopwords: Set<String>) {
    self.stopwords = stopwords
    var passages: [Passage] = []
    for section in knowledge.sections {
      for (blockNumber, block) in section.blocks.enumerated() {
        for (position, sentence) in Self.sentences(of: block.text).enumerated() {
          passages.append(Passage(section: section.id, block: blockNumber, position: position, text: sentence))
        }
      }
    }
    var postings: [String: [(passage: Int, count: Int)]] = [:]
    var lengths: [Int] = []
    for (number, passage) in passages.enumerated() {
      // A question in a policy is a heading ("What information do we collect?"): it
      // shares every word with the person's question and answers none of it.
      let terms = passage.text.hasSuffix("?") ? [] : Self.terms(passage.text, leaving: stopwords)
      lengths.append(terms.count)
      var counts: [String: Int] = [:]
      for term in terms { counts[term, default: 0] += 1 }
      for (term, count) in counts { postings[term, default: []].append((number, count)) }
    }
    self.passages = passages
    self.postings = postings
    self.lengths = lengths
    averageLength = lengths.isEmpty ? 1 : max(1, Double(lengths.reduce(0, +)) / Double(lengths.count))
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
  func rank(
    _ words: [QueryTerm], synonymWeight: Double = 0.5, preferred: Set<String> = [], boost: Double = 1,
    expansion: [String] = [], expansionWeight: Double = 0
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
    var scores: [Int: Double] = [:]
    var matched: [Int: Int] = [:]
    for group in groups {
      var best: [Int: Double] = [:]
      for (term, weight) in group.terms {
        for (passage, score) in bm25(term) {
          best[passage] = max(best[passage] ?? 0, score * weight)
        }
      }
      for (passage, score) in best {
        scores[passage, default: 0] += score * group.weight
        matched[passage, default: 0] += 1
      }
    }
    var added: [String] = []
    for term in expansion.flatMap(terms) where !added.contains(term) { added.append(term) }
    if !added.isEmpty, expansionWeight > 0 {
      let share = expansionWeight / Double(added.count).squareRoot()
      for term in added {
        for (passage, score) in bm25(term) { scores[passage, default: 0] += score * share }
      }
    }
    return scores.map { passage, score in
      Match(
        passage: passage, score: preferred.contains(passages[passage].section) ? score * boost : score,
        coverage: Double(matched[passage] ?? 0) / Double(groups.count))
    }.sorted { ($1.score, $0.passage) < ($0.score, $1.passage) }
  }

  /// One term's bm25 in each passage that has it.
  private func bm25(_ term: String) -> [(passage: Int, score: Double)] {
    guard let list = postings[term] else { return [] }
    let containing = Double(list.count)
    let idf: Double = log((Double(passages.count) - containing + 0.5) / (containing + 0.5) + 1)
    return list.map { passage, frequency in
      let tf = Double(frequency)
      let norm = k1 * (1 - b + b * Double(lengths[passage]) / averageLength)
      return (passage, idf * tf * (k1 + 1) / (tf + norm))
    }
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
        if ".!?;:".contains(characters[index]), index + 1 < characters.count, characters[index + 1].isWhitespace {
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

  private static func append(_ characters: ArraySlice<Character>, to result: inout [String]) {
    let text = String(characters).trimmingWhitespace
    if !text.isEmpty { result.append(text) }
  }
}
