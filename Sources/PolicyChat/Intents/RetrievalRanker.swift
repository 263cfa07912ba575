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
    // Per-row figures in arrays indexed by row, not dictionaries: a turn touches them a
    // few thousand times, and hashing was a sizeable part of ranking.
    let rows = index.documents.count
    var weights: [Double] = []
    var relevance = [Double](repeating: 0, count: rows)
    var covered = [Double](repeating: 0, count: rows)
    var touched = [Bool](repeating: false, count: rows)
    var touchedRows: [Int] = []
    var best = [Double](repeating: 0, count: rows)
    var inBest = [Bool](repeating: false, count: rows)
    var bestRows: [Int] = []
    for term in terms {
      // Best bm25 per document among the word's alternatives; synonyms count a little less.
      for (position, alternative) in term.alternatives.enumerated() {
        let discount = position == 0 ? 1 : thresholds.synonymWeight
        for hit in index.search(SearchIndex.anyOf([alternative]), weights: thresholds.columnWeights, limit: -1) {
          let score = hit.score * discount
          if inBest[hit.row] {
            best[hit.row] = max(best[hit.row], score)
          } else {
            inBest[hit.row] = true
            best[hit.row] = max(0, score)
            bestRows.append(hit.row)
          }
        }
      }
      let frequency = Double(bestRows.count)
      let idf =
        bestRows.isEmpty
        ? rarest * thresholds.unknownWordWeight : log(1 + (total - frequency + 0.5) / (frequency + 0.5))
      // Flattened: in a document this small, a rare word ("people") is not much more telling
      // than the policy's own vocabulary ("share"), which is common because it is the topic.
      let weight = pow(idf, thresholds.idfExponent) * term.weight
      weights.append(weight)
      for row in bestRows {
        relevance[row] += best[row] * term.weight
        covered[row] += weight
        if !touched[row] {
          touched[row] = true
          touchedRows.append(row)
        }
        inBest[row] = false
      }
      bestRows.removeAll(keepingCapacity: true)
    }
    for phrase in phrases {
      for hit in index.search(SearchIndex.phrase(phrase), weights: thresholds.columnWeights, limit: -1)
      where touched[hit.row] {
        relevance[hit.row] += hit.score * thresholds.phraseWeight
      }
    }
    let weightSum = weights.reduce(0, +)
    guard weightSum > 0, let top = touchedRows.map({ relevance[$0] }).max(), top > 0 else { return [] }

    var byIntent: [String: Candidate] = [:]
    byIntent.reserveCapacity(touchedRows.count)
    // Looked up once, not hashed again for every row.
    let exactAliasRows = Set(index.rowsByAliasText[message] ?? [])
    let queryWords = Set(terms.flatMap(\.alternatives).map(TextNormalizer.roughStem))
    let own = terms.filter { $0.weight >= 1 }
    let ownWords = Set(own.flatMap(\.alternatives).map(TextNormalizer.roughStem))
    // In row order: a tie between two documents of one intent keeps the same one every run.
    for row in touchedRows.sorted() {
      let bm25 = relevance[row]
      let document = index.documents[row]
      let coverage = covered[row] / weightSum
      let share = thresholds.bm25Share
      var score = coverage * ((1 - share) + share * bm25 / top)
      if let words = document.exampleWords, !words.isEmpty {
        score *= Double(queryWords.count { words.contains($0) }) / Double(words.count)
      }
      // An alias is a curated paraphrase: a message that is one, or says all of one of two
      // words or more and nothing else, means that section, whatever bm25 makes of its length.
      if exactAliasRows.contains(row) {
        score *= thresholds.exactAliasBoost
      } else if document.aliasWords.contains(where: { alias in
        alias.count >= 2 && alias.count >= own.count && alias.isSubset(of: ownWords)
      }) {
        score *= thresholds.aliasBoost
      }
      let target = document.target
      if let family = boostFamily, Self.isIn(target, family: family) {
        score *= thresholds.followupBoost
      }
      if let existing = byIntent[target], existing.score >= score { continue }
      byIntent[target] = Candidate(intent: target, score: score, coverage: coverage, bm25: bm25)
    }
    return byIntent.values.sorted { ($1.score, $0.intent) < ($0.score, $1.intent) }
  }

  /// Whether ``family(of:)`` of an intent is `family`, without building the family's name.
  static func isIn(_ intent: String, family: String) -> Bool {
    guard intent.hasPrefix("policy.") else { return intent == family }
    let rest = intent.utf8.dropFirst("policy.".utf8.count)
    guard rest.starts(with: family.utf8) else { return false }
    let after = rest.dropFirst(family.utf8.count)
    return after.isEmpty || after.first == UInt8(ascii: ".")
  }

  /// `policy.rights.erasure` → `rights`; other intents are their own family.
  static func family(of intent: String) -> String {
    guard intent.hasPrefix("policy.") else { return intent }
    return String(intent.dropFirst("policy.".count).prefix { $0 != "." })
  }
}
