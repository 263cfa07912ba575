import Foundation

/// One intent that retrieval found, with the figures behind its score (shown by `/why`).
public struct Candidate: Sendable, Equatable, Codable {
  public var intent: String
  /// The combined score: about 0 to 1, more when boosted (a follow-up, a keyword).
  public var score: Double
  /// The share of the query's meaning (idf-weighted) that the best document covers.
  public var coverage: Double
  /// The best document's bm25 relevance, summed over the query's words (higher is better).
  public var bm25: Double
}

/// Ranks intents for a query with the FTS5 index.
///
/// Each query word is searched on its own, with its synonyms, and a document takes the
/// best bm25 among a word's alternatives: summing them would let a document that happens
/// to use three synonyms of one word outrank one that answers the whole question.
///
/// bm25 ranks documents but says nothing about whether any of them answers the question:
/// "best pizza in Johannesburg" still has a best match. So each document is also scored by
/// how much of the query it covers, each query word weighted by its rarity (idf); words the
/// policy never uses ("pizza") weigh a set fraction of its rarest words, which sends
/// out-of-scope questions to the fallback while letting "are my notes encrypted?" through
/// on the strength of "encrypted".
struct RetrievalRanker: Sendable {
  let index: SearchIndex
  let thresholds: Thresholds

  /// `boostFamily` is the top-level section id of the previous topic, for follow-ups.
  /// `message` is the normalised message, to recognise one that is exactly an alias.
  func rank(_ terms: [QueryTerm], phrases: [String] = [], message: String = "", boostFamily: String?) -> [Candidate] {
    guard !terms.isEmpty else { return [] }
    let total = Double(index.documents.count)
    let rarest = log(1 + (total - 0.5) / 1.5)
    var weights: [Double] = []
    var relevance: [Int: Double] = [:]
    var covered: [Int: Double] = [:]
    for term in terms {
      // Best bm25 per document among the word's alternatives; synonyms count a little less.
      var best: [Int: Double] = [:]
      for (position, alternative) in term.alternatives.enumerated() {
        let discount = position == 0 ? 1 : thresholds.synonymWeight
        for hit in index.search(SearchIndex.anyOf([alternative]), weights: thresholds.columnWeights, limit: -1) {
          best[hit.row] = max(best[hit.row] ?? 0, hit.score * discount)
        }
      }
      let frequency = Double(best.count)
      let idf =
        best.isEmpty ? rarest * thresholds.unknownWordWeight : log(1 + (total - frequency + 0.5) / (frequency + 0.5))
      // Flattened: in a document this small, a rare word ("people") is not much more telling
      // than the policy's own vocabulary ("share"), which is common because it is the topic.
      let weight = pow(idf, thresholds.idfExponent) * term.weight
      weights.append(weight)
      for (row, score) in best {
        relevance[row, default: 0] += score * term.weight
        covered[row, default: 0] += weight
      }
    }
    for phrase in phrases {
      for hit in index.search(SearchIndex.phrase(phrase), weights: thresholds.columnWeights, limit: -1)
      where relevance[hit.row] != nil {
        relevance[hit.row, default: 0] += hit.score * thresholds.phraseWeight
      }
    }
    let weightSum = weights.reduce(0, +)
    guard weightSum > 0, let top = relevance.values.max(), top > 0 else { return [] }

    var byIntent: [String: Candidate] = [:]
    let queryWords = Set(terms.flatMap(\.alternatives).map(TextNormalizer.roughStem))
    let own = terms.filter { $0.weight >= 1 }
    let ownWords = Set(own.flatMap(\.alternatives).map(TextNormalizer.roughStem))
    for (row, bm25) in relevance {
      let document = index.documents[row]
      let coverage = (covered[row] ?? 0) / weightSum
      let share = thresholds.bm25Share
      var score = coverage * ((1 - share) + share * bm25 / top)
      if let words = document.exampleWords, !words.isEmpty {
        score *= Double(words.intersection(queryWords).count) / Double(words.count)
      }
      // An alias is a curated paraphrase: a message that is one, or says all of one of two
      // words or more and nothing else, means that section, whatever bm25 makes of its length.
      if document.aliasTexts.contains(message) {
        score *= thresholds.exactAliasBoost
      } else if document.aliasWords.contains(where: { alias in
        alias.count >= 2 && alias.count >= own.count && alias.isSubset(of: ownWords)
      }) {
        score *= thresholds.aliasBoost
      }
      let target = document.target
      if let family = boostFamily, Self.family(of: target) == family {
        score *= thresholds.followupBoost
      }
      if let existing = byIntent[target], existing.score >= score { continue }
      byIntent[target] = Candidate(intent: target, score: score, coverage: coverage, bm25: bm25)
    }
    return byIntent.values.sorted { ($1.score, $0.intent) < ($0.score, $1.intent) }
  }

  /// `policy.rights.erasure` → `rights`; other intents are their own family.
  static func family(of intent: String) -> String {
    guard intent.hasPrefix("policy.") else { return intent }
    return String(intent.dropFirst("policy.".count).prefix { $0 != "." })
  }
}
