import Foundation
import Testing

@testable import PolicyChat

/// Answers from passages (`answers: passages`): the sentences of the whole policy, ranked
/// against the question, quoted verbatim within a budget and cited by section.
@Suite struct PassageTests {
  /// The repository's lexicon: its stopwords are the function words the index leaves out.
  private static let lexicon: Lexicon = {
    do { return try PolicyData.load(home: TestEngine.repositoryRoot).catalog.lexicon } catch {
      fatalError("the repository's data does not load: \(error)")
    }
  }()

  private static func index(_ sections: [(String, String)]) throws -> PassageIndex {
    PassageIndex(knowledge: try knowledge(sections), stopwords: lexicon.stopwords)
  }

  private static func knowledge(_ sections: [(String, String)]) throws -> KnowledgeBase {
    try KnowledgeBase(
      policy: PolicyInfo(
        organisation: "Acme", contact: "a@b.example", version: "1", lastUpdated: "2026-01-01", answers: .passages),
      sections: sections.map { id, body in
        Section(id: id, title: "Title of \(id)", aliases: [], body: body, file: id + ".md")
      })
  }

  @Test func sentencesAreCutVerbatimAtTheirEndsAndListItemsAreTheirLines() {
    let block =
      "We keep data for 30 days. After that: It is deleted! Why? See e.g. the U.S. rules; 2 copies remain.\n- first item.\n- Second item"
    #expect(
      PassageIndex.sentences(of: block) == [
        "We keep data for 30 days.", "After that:", "It is deleted!", "Why?",
        "See e.g. the U.S. rules;", "2 copies remain.", "first item.", "Second item",
      ])
  }

  @Test func anAbbreviationBeforeACapitalDoesNotEndTheSentence() {
    let block =
      "We follow the U.S. Department of Commerce rules. Ask J. Smith at Acme Inc. Legal. Visit example.com. Then write."
    #expect(
      PassageIndex.sentences(of: block) == [
        "We follow the U.S. Department of Commerce rules.", "Ask J. Smith at Acme Inc. Legal.", "Visit example.com.",
        "Then write.",
      ])
  }

  @Test func aSentenceInAParagraphAboutTheQuestionRanksAboveAStrayOne() throws {
    let index = try Self.index([
      ("a", "Small print."),
      ("b", "Cookies expire after a year. They are small files."),
    ])
    let words = ["small", "cookies"].map { QueryTerm(word: $0, alternatives: [$0], weight: 1) }
    let stray = try #require(index.passages.firstIndex { $0.text == "Small print." })
    let inContext = try #require(index.passages.firstIndex { $0.text == "They are small files." })
    func place(_ passage: Int, _ ranked: [PassageIndex.Match]) -> Int? { ranked.firstIndex { $0.passage == passage } }
    let plain = index.rank(words)
    let withContext = index.rank(words, contextWeight: 0.45)
    #expect((place(stray, plain) ?? 99) < (place(inContext, plain) ?? 99), "a tie on its own words, in policy order")
    #expect((place(inContext, withContext) ?? 99) < (place(stray, withContext) ?? 99))
    // The paragraph's words add to the score, not to the coverage of the person's words.
    #expect(withContext.first { $0.passage == inContext }?.coverage == 0.5)
  }

  @Test func feedbackReachesASentenceInThePolicysOwnWords() throws {
    let index = try Self.index([
      ("a", "We share your data with partners."),
      ("b", "Our partners include advertisers."),
      ("c", "Cookies expire after a year."),
    ])
    let words = ["share", "data"].map { QueryTerm(word: $0, alternatives: [$0], weight: 1) }
    let partners = try #require(index.passages.firstIndex { $0.section == "b" })
    #expect(!index.rank(words).contains { $0.passage == partners })
    let fed = index.rank(words, feedback: PassageIndex.Feedback(passages: 1, terms: 3, weight: 1))
    let reached = try #require(fed.first { $0.passage == partners })
    #expect(reached.coverage == 0, "feedback words are not the person's")
    #expect(!fed.contains { index.passages[$0.passage].section == "c" })
  }

  @Test func termsDropFunctionWordsAndFoldEndings() throws {
    let index = try Self.index([("a", "Text.")])
    #expect(index.terms("What data do you collect?") == ["data", "collect"])
    #expect(index.terms("Collected cookies, sharing") == ["collect", "cooki", "shar"])
    #expect(PassageIndex.stem("policy") == PassageIndex.stem("policies"))
    #expect(PassageIndex.stem("process") == PassageIndex.stem("processes"))
  }

  @Test func theSentenceThatAnswersRanksFirstWhereverItIs() throws {
    let index = try Self.index([
      ("intro", "This policy explains our practices. It applies to our website and apps."),
      ("misc", "We may update this policy. We retain account records for seven years after closure."),
    ])
    let ranked = index.rank("How long do you retain my records?")
    let best = try #require(ranked.first)
    #expect(index.passages[best.passage].text == "We retain account records for seven years after closure.")
    #expect(index.passages[best.passage].section == "misc")
    // "long" is in no sentence: two of the question's three words.
    #expect(abs(best.coverage - 2.0 / 3.0) < 1e-9)
    #expect(index.rank("weather forecast tomorrow").isEmpty)
  }

  @Test func synonymsCountLessThanThePersonsWordAndPreferredSectionsMore() throws {
    let index = try Self.index([("a", "We protect your data."), ("b", "We secure your data.")])
    let word = QueryTerm(word: "protect", alternatives: ["protect", "secure"], weight: 1)
    let plain = index.rank([word])
    #expect(plain.map { index.passages[$0.passage].section } == ["a", "b"])
    #expect(plain[1].score < plain[0].score)
    let preferred = index.rank([word], preferred: ["b"], boost: 3)
    #expect(preferred.map { index.passages[$0.passage].section } == ["b", "a"])
  }

  @Test func aQuestionShapesWordsAddToTheScoreButNotToTheCoverage() throws {
    let index = try Self.index([
      ("a", "We share data when the law requires it."),
      ("b", "We share data with service providers and advertisers."),
    ])
    let share = QueryTerm(word: "share", alternatives: ["share"], weight: 1)
    let plain = index.rank([share])
    #expect(plain.first.map { index.passages[$0.passage].section } == "a", "the shorter sentence, on bm25 alone")
    let shaped = index.rank([share], expansion: ["service", "providers", "partners"], expansionWeight: 1.5)
    #expect(shaped.first.map { index.passages[$0.passage].section } == "b")
    #expect(shaped.allSatisfy { $0.coverage == 1 })
  }

  @Test func theShippedShapesMatchTheirKindOfQuestionAndAShapeWithoutACueIsRefused() throws {
    let catalog = try PolicyData.load(home: TestEngine.repositoryRoot).catalog
    #expect(catalog.shapes(matching: "who do you share my data with").map(\.name) == ["shape_recipients"])
    #expect(catalog.shapes(matching: "how long do you keep it").map(\.name) == ["shape_retention"])
    #expect(catalog.shapes(matching: "hello there").isEmpty)
    let error = try TestEngine.catalogError {
      $0.replacingOccurrences(of: "\nquestionShapes:\n", with: "\nquestionShapes:\n  shape_nowhere: [words]\n")
    }
    #expect(error.contains("question shape 'shape_nowhere' names no cue set"), "\(error)")
  }

  @Test func anAnswerQuotesWithinTheBudgetGroupedBySectionInPolicyOrder() throws {
    let knowledge = try Self.knowledge([
      ("one", "Cookies are small files. We set cookies for login. We also use pixels.\n\nCookies expire in a year."),
      ("two", "You can refuse cookies in your browser."),
    ])
    var thresholds = try PolicyData.load(home: TestEngine.repositoryRoot).catalog.thresholds
    thresholds.passageCharacters = 200
    thresholds.passageRelativeScore = 0
    let composer = PassageComposer(knowledge: knowledge, lexicon: Self.lexicon, thresholds: thresholds)
    let answer = try #require(composer.answer(composer.index.rank("when do cookies expire? can I refuse cookies?")))
    #expect(answer.sources.first == "one" || answer.sources.first == "two")
    #expect(Set(answer.sources) == ["one", "two"])
    // Two sections: each quote is numbered, and the sections are named once, after them.
    let marker = answer.sources.firstIndex(of: "one").map { "[\($0 + 1)]" } ?? "?"
    let first = try #require(answer.replies.first { $0.contains("Cookies are small files.") })
    #expect(first.hasSuffix(" " + marker) || first.contains(" " + marker + "\n\nFrom: "), "\(first)")
    // Neighbours are joined as written; a gap between quoted sentences is marked.
    #expect(first.contains("Cookies are small files. We set cookies for login. … Cookies expire in a year."))
    #expect(!first.contains("pixels"))
    let citation = try #require(answer.replies.last?.components(separatedBy: "\n\nFrom: ").last)
    #expect(citation.contains(marker + " Title of one") && citation.contains("Title of two"), "\(citation)")
    let quoted = answer.replies.map { reply in
      reply.components(separatedBy: "\n\nFrom: ")[0].replacingOccurrences(
        of: #" \[\d+\]$"#, with: "", options: .regularExpression)
    }.joined()
    #expect(quoted.count <= 200)

    // One section: its quote ends with its citation, unnumbered.
    let single = try #require(composer.answer(composer.index.rank("refuse browser")))
    #expect(single.replies == ["You can refuse cookies in your browser.\n\nFrom: Title of two"], "\(single.replies)")

    thresholds.passageCharacters = 10
    let tight = PassageComposer(knowledge: knowledge, lexicon: Self.lexicon, thresholds: thresholds)
    // The best passage is quoted even when it alone is longer than the budget.
    #expect(tight.answer(tight.index.rank("refuse cookies browser"))?.replies.count == 1)
    #expect(tight.answer([]) == nil)
  }
}
