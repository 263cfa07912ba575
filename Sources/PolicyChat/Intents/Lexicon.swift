/// Words about words: `intents/nlu/lexicon.yaml`.
///
/// Kept as data so that the assistant can be taught new shorthand, spellings and synonyms
/// without a rebuild.
public struct Lexicon: Decodable, Sendable {
  /// Words that carry no topic ("the", "do", "my").
  public var stopwords: Set<String>
  /// Chat shorthand and contractions: "u" → "you", "whats" → "what is".
  public var shorthand: [String: String]
  /// Common misspellings: "recieve" → "receive".
  public var misspellings: [String: String]
  /// Groups of words that mean the same thing here; a query word from a group also
  /// searches for the others.
  public var synonyms: [[String]]
  /// Named lists of regular expressions: `request` (the person asks for something to be
  /// done), `definition` (the person asks what something is), `followup` (the message
  /// leans on the previous topic).
  public var cues: [String: [String]]
  /// For homes that answer from passages: for a cue set naming a kind of question
  /// (`shape_purpose`: "why …?"), the words of the sentences that answer that kind.
  public var questionShapes: [String: [String]]?
  /// A follow-up that asks only why, how long or with whom (the `followup_question` cue
  /// set) about the last topic: for the question shape it matches, the ``Topic`` that
  /// answers it ("why?" → purposes).
  public var followUpTopics: [String: String]?
}

/// The numbers that turn scores into decisions: `intents/nlu/thresholds.yaml`.
public struct Thresholds: Decodable, Sendable {
  /// Below this confidence the turn is a fallback.
  public var answer: Double
  /// When the runner-up scores at least this fraction of the best, ask which was meant.
  public var clarifyRatio: Double
  /// ...but only if the best confidence is below this.
  public var clarifyBelow: Double
  /// Confidence given to a rule (pattern) match.
  public var ruleConfidence: Double
  /// Exponent applied to each word's idf when weighing how much of a question a section
  /// covers: 1 is plain idf, 0 weighs all words alike.
  public var idfExponent: Double
  /// Weight of a word the policy never uses, as a fraction of the rarest known word's.
  public var unknownWordWeight: Double
  /// Score multiplier for sections in the family of the previous topic, for follow-ups.
  public var followupBoost: Double
  /// Weight of the previous topic's words when a follow-up leans on them.
  public var contextWeight: Double
  /// Score multiplier for a section one of whose aliases the message says in full.
  public var aliasBoost: Double
  /// Score multiplier for a section when the message is exactly one of its aliases.
  public var exactAliasBoost: Double
  /// Score multiplier for sections whose keywords (in intent files) the message uses.
  public var keywordBoost: Double
  /// Weight of a question word that is some section's keyword (the person's other words weigh 1).
  public var topicWordWeight: Double
  /// How likely each part of the policy is to be the answer, given the message's shape.
  public var priors: [Prior]
  /// bm25 weights of the index columns.
  public var columnWeights: ColumnWeights
  /// bm25 of a synonym, as a fraction of the same match on the person's own word.
  public var synonymWeight: Double
  /// When a section's subsection scores at least this fraction of the section itself,
  /// the subsection answers: it is the more focused answer.
  public var childPreference: Double
  /// ...and when the runner-up subsection scores below this fraction of it.
  public var childStandout: Double
  /// bm25 of a two-word phrase match, added to the words' own.
  public var phraseWeight: Double
  /// How strongly the bm25 rank (against the coverage of the query) shapes the score.
  public var bm25Share: Double
  /// Longest reply body before it is cut down to the best-matching blocks.
  public var maxAnswerCharacters: Int
  /// For a home that answers from passages (`answers: passages` in knowledge/policy.yaml):
  /// the most characters of quoted sentences in one answer.
  public var passageCharacters: Int
  /// A passage scoring below this fraction of the best is not quoted.
  public var passageRelativeScore: Double
  /// Score multiplier for a passage in a section the question's topic names.
  public var passageSectionBoost: Double
  /// A question that nothing else answered is answered from passages only when the best
  /// contains at least this share of its words; otherwise it falls back.
  public var passageMinimumCoverage: Double
  /// Weight of a sentence's block (its paragraph or list) in the sentence's score.
  public var passageContextWeight: Double
  /// Pseudo-relevance feedback (``PassageIndex/Feedback``): the best sentences read, the
  /// words taken from them, and their weight together.
  public var passageFeedbackPassages: Int
  public var passageFeedbackTerms: Int
  public var passageFeedbackWeight: Double
  /// Weight of a question shape's words (``Lexicon/questionShapes``) against the person's
  /// own, shared out over the shape's words.
  public var shapeWeight: Double

  /// A score multiplier for a family of sections (a top-level section and its
  /// subsections), applied when the cue set `when` matches (or always, without one)
  /// unless the cue set `unless` matches.
  public struct Prior: Decodable, Sendable {
    public var family: String
    public var factor: Double
    public var when: String?
    public var unless: String?
  }

  public struct ColumnWeights: Decodable, Sendable, Hashable {
    public var title: Double
    public var aliases: Double
    public var body: Double
    public var context: Double
  }
}
