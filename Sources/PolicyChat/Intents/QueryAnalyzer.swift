import Synchronization

/// A word of the query that carries meaning, with the words that may stand for it.
struct QueryTerm: Sendable, Equatable, Codable {
  /// The word as understood (after shorthand and spelling repair).
  var word: String
  /// The word and its synonyms; any of them counts as a match.
  var alternatives: [String]
  /// 1 for the person's own words; less for words carried over from the previous topic.
  var weight: Double
}

/// The person's message, cleaned and split into what rules and retrieval look at.
struct AnalyzedText: Sendable {
  /// Normalised text with shorthand expanded and misspellings repaired: what patterns see.
  var normalized: String
  var terms: [QueryTerm]
  /// Pairs of meaningful words that stand next to each other ("analytics cookies"): a
  /// section with the same phrase is a closer match than one with both words apart.
  var phrases: [String]
  /// Words that were repaired, for `/why`: "recieve → receive".
  var corrections: [String]
}

/// Turns raw text into an ``AnalyzedText``, using the lexicon and the index's vocabulary.
struct QueryAnalyzer: Sendable {
  let lexicon: Lexicon
  private let synonymGroups: [String: Int]
  /// Every word the index holds, with how often it occurs: the dictionary for spelling repair.
  private let vocabulary: [String: Int]
  /// The words of four letters or more that a repair may give, by their first letter.
  private let repairCandidates: [Unicode.Scalar: [KnownWord]]
  private let index: SearchIndex
  /// Repairs already worked out: the same unknown word comes back, and trying it against
  /// the vocabulary was a third of a turn. Emptied when full.
  private let repairs = RepairMemo()

  private struct KnownWord: Sendable {
    let word: String
    let count: Int
    let scalars: [Unicode.Scalar]
  }

  init(lexicon: Lexicon, index: SearchIndex) {
    self.lexicon = lexicon
    self.index = index
    var groups: [String: Int] = [:]
    for (number, group) in lexicon.synonyms.enumerated() {
      for word in group {
        groups[TextNormalizer.roughStem(TextNormalizer.normalize(word)), default: number] = number
      }
    }
    synonymGroups = groups
    var vocabulary: [String: Int] = [:]
    for document in index.documents {
      let text = [document.title, document.aliases, document.body].joined(separator: " ")
      for word in TextNormalizer.words(TextNormalizer.normalize(text)) {
        vocabulary[word, default: 0] += 1
      }
    }
    for word in lexicon.synonyms.joined() {
      vocabulary[TextNormalizer.normalize(word), default: 0] += 1
    }
    self.vocabulary = vocabulary
    var candidates: [Unicode.Scalar: [KnownWord]] = [:]
    for (word, count) in vocabulary {
      let scalars = Array(word.unicodeScalars)
      guard word.count >= 4, let first = scalars.first else { continue }
      candidates[first, default: []].append(KnownWord(word: word, count: count, scalars: scalars))
    }
    repairCandidates = candidates
  }

  func analyze(_ text: String) -> AnalyzedText {
    var words: [String] = []
    var corrections: [String] = []
    for raw in TextNormalizer.words(TextNormalizer.normalize(text)) {
      if let expansion = lexicon.shorthand[raw] {
        words.append(contentsOf: TextNormalizer.words(expansion))
      } else if let fixed = lexicon.misspellings[raw] {
        words.append(fixed)
        corrections.append("\(raw) → \(fixed)")
      } else if let fixed = repair(raw) {
        words.append(fixed)
        corrections.append("\(raw) → \(fixed)")
      } else {
        words.append(raw)
      }
    }
    var terms: [QueryTerm] = []
    var seen: Set<String> = []
    var seenGroups: Set<[String]> = []
    for word in words where !lexicon.stopwords.contains(word) && seen.insert(word).inserted {
      // "browsing history" is one idea: two words of one synonym group count once.
      let group = alternatives(for: word)
      guard group.count == 1 || seenGroups.insert(group.sorted()).inserted else { continue }
      terms.append(QueryTerm(word: word, alternatives: group, weight: 1))
    }
    let phrases = zip(words, words.dropFirst()).compactMap { first, second -> String? in
      lexicon.stopwords.contains(first) || lexicon.stopwords.contains(second) ? nil : first + " " + second
    }
    return AnalyzedText(
      normalized: words.joined(separator: " "), terms: terms, phrases: phrases, corrections: corrections)
  }

  private func alternatives(for word: String) -> [String] {
    guard let group = synonymGroups[TextNormalizer.roughStem(word)] else { return [word] }
    let others = lexicon.synonyms[group].map(TextNormalizer.normalize).filter { $0 != word }
    return [word] + others
  }

  /// The closest known word for an unknown one, if it is close enough to be a slip: one
  /// edit for words of five to seven letters, two for longer ones, and the same first
  /// letter (people rarely mistype it, and short words are too easily another word:
  /// "song" is not "long").
  private func repair(_ word: String) -> String? {
    guard word.count >= 5, word.allSatisfy(\.isLetter), vocabulary[word] == nil,
      !lexicon.stopwords.contains(word), synonymGroups[TextNormalizer.roughStem(word)] == nil
    else { return nil }
    if let known = repairs.value(for: word) { return known }
    let repaired = closestKnownWord(to: word)
    repairs.remember(repaired, for: word)
    return repaired
  }

  private func closestKnownWord(to word: String) -> String? {
    // A word the stemmer knows in another form ("deleting") is not a slip.
    if !index.rows(matching: SearchIndex.anyOf([word])).isEmpty { return nil }
    let limit = word.count >= 8 ? 2 : 1
    let scalars = Array(word.unicodeScalars)
    guard let first = scalars.first else { return nil }
    var best: (word: String, distance: Int, count: Int)?
    for candidate in repairCandidates[first] ?? [] where abs(candidate.scalars.count - scalars.count) <= limit {
      let distance = EditDistance.distance(scalars, candidate.scalars, limit: limit)
      guard distance <= limit else { continue }
      if let current = best,
        (current.distance, -current.count, current.word) <= (distance, -candidate.count, candidate.word)
      {
        continue
      }
      best = (candidate.word, distance, candidate.count)
    }
    return best?.word
  }
}

/// Spelling repairs worked out so far, shared by every copy of the analyser; emptied
/// when full, as people can type any number of words.
private final class RepairMemo: Sendable {
  private let entries = Mutex<[String: String?]>([:])
  private static let limit = 10_000

  /// The repair of a word (nil inside: none), or nil if not yet worked out.
  func value(for word: String) -> String?? {
    entries.withLock { $0[word] }
  }

  func remember(_ repair: String?, for word: String) {
    entries.withLock { entries in
      if entries.count >= Self.limit { entries.removeAll() }
      entries[word] = .some(repair)
    }
  }
}
