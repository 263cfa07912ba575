import Foundation
import Testing

@testable import PolicyChat

/// The literal prefilter of the intent and cue patterns: it may skip a regular expression
/// only where the expression would not have matched.
@Suite struct TextPatternTests {
  @Test(arguments: [
    (#"\b(share|shared|sell)\b"#, ["sell", "share", "shared"]),
    (#"third part(y|ies)"#, ["third parties", "third party"]),
    (#"\bcollect\w*"#, ["collect"]),
    (#"\b(do|can) (you|u) delete"#, ["can u delete", "can you delete", "do u delete", "do you delete"]),
    (#"\bDelete\b"#, ["delete"]),
    // The longest certain literals win: "how long" says more than "keep".
    (#"\bhow (long|old)\b.*\bkeep\b"#, ["how long", "how old"]),
    (#"colou?r"#, ["color", "colour"]),
    (
      #"(?<verb>erase|delete) (my|the) data"#, ["delete my data", "delete the data", "erase my data", "erase the data"]
    ),
    (#"don'?t (keep|log)"#, ["don't keep", "don't log", "dont keep", "dont log"]),
    (#"\bi am (\d+|a child)\b.{0,20}old"#, ["i am "]),
  ])
  func literalsOfAPattern(pattern: String, literals: [String]) {
    #expect(RequiredLiterals.of(pattern) == literals)
  }

  /// Patterns that could match without any literal, or that the analysis cannot read,
  /// always run.
  @Test(arguments: [
    #"\w+"#, #"(yes|.*)"#, #"(?x) a b"#, #"\Qa.b\E"#, #"\x{41}bc"#, #"[abc]+"#, #"(a|b)?"#, #"über"#, "",
  ])
  func noLiteralsWhereNoneAreCertain(pattern: String) {
    #expect(RequiredLiterals.of(pattern) == nil)
  }

  @Test func aPrefilteredPatternMatchesAsItsRegularExpressionDoes() throws {
    let pattern = try TextPattern(#"\b(remove|delete) (my|the) (data|account)\b"#)
    #expect(pattern.literals != nil)
    for (text, expected) in [
      ("please delete my data", true), ("PLEASE DELETE MY DATA", true), ("delete my dat", false),
      ("remove the account now", true), ("what data do you keep", false), ("déléte my data", false),
      ("delete my data, merci beaucoup", true), ("delete my data — thanks", true),
    ] {
      #expect(pattern.matches(MatchText(text)) == expected, "\(text)")
    }
  }

  /// The gram filter never hides a literal that is there: every substring of a message,
  /// from one byte to the whole, is found, and strings that are not there are not.
  @Test func everySubstringIsFoundAndNothingElse() {
    let message = "can you delete my data, please? 42 x"
    let folded = FoldedBytes(Array(message.utf8))
    let bytes = Array(message.utf8)
    for start in bytes.indices {
      for end in (start + 1)...bytes.count {
        let literal = TextPattern.Literal(String(decoding: bytes[start..<end], as: UTF8.self))
        #expect(folded.contains(literal), "\(String(decoding: bytes[start..<end], as: UTF8.self))")
      }
    }
    for absent in ["delete your", "z", "xx", "data?", "please?!", "can you delete my data, please? 42 xy"] {
      #expect(!folded.contains(TextPattern.Literal(absent)), "\(absent)")
    }
  }

  /// Every pattern of the repository's intents and cue sets, on every question of the
  /// development set and PrivacyQA and every intent example: the prefilter never changes
  /// whether a pattern matches.
  @Test func thePrefilterAgreesWithEveryRegularExpressionOnRealQuestions() throws {
    let catalog = TestEngine.shared.catalog
    let patterns =
      catalog.intents.flatMap { $0.patterns + $0.keywords } + catalog.cues.values.flatMap { $0 }
    let filtered = patterns.filter { $0.literals != nil }
    // Most patterns have literals; were it few, the prefilter would save little.
    #expect(filtered.count * 10 >= patterns.count * 8, "\(filtered.count) of \(patterns.count)")

    var texts = try Evaluation.privacyQA().map(\.question)
    texts += try Evaluation.devQuestions().map(\.q)
    texts += catalog.intents.flatMap(\.examples)
    texts += texts.map(TextNormalizer.normalize)
    texts += ["", "ſtop ſharing", "K", "Ｄｅｌｅｔｅ my data", "DELETE MY DATA"]
    var disagreements: [String] = []
    for text in texts {
      let prepared = MatchText(text)
      let range = NSRange(text.startIndex..., in: text)
      for pattern in filtered
      where pattern.matches(prepared) != (pattern.regex.firstMatch(in: text, range: range) != nil) {
        disagreements.append("\(pattern.source) on \(text)")
      }
    }
    #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
  }
}
