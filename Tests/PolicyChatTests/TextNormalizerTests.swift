import Foundation
import Testing

@testable import PolicyChat

/// The byte-wise path for ASCII text gives what the Unicode path gives.
@Suite struct TextNormalizerTests {
  @Test func theASCIIPathAgreesWithTheUnicodePathOnRealQuestions() throws {
    var texts = try Evaluation.privacyQA().map(\.question) + Evaluation.devQuestions().map(\.q)
    texts += ["", "   ", "What's THAT?!", "e-mail\r\nme at 10:30", "don`t", "A1 b2\tC3", "!!!", "x'y'z"]
    let ascii = texts.filter { $0.utf8.allSatisfy { $0 < 0x80 } }
    #expect(ascii.count > 1000)
    for text in ascii {
      #expect(TextNormalizer.normalizeASCII(text) == TextNormalizer.normalizeUnicode(text), "\(text)")
    }
  }

  @Test func otherTextIsFoldedAsBefore() {
    #expect(TextNormalizer.normalize("Qu’est-ce que c’est, Ärger?") == "quest ce que cest arger")
    #expect(TextNormalizer.normalize("What's THAT?!") == "whats that")
  }
}

/// Trimming white space without Foundation.
@Suite struct TrimmingTests {
  @Test(arguments: [
    ("  hello  ", "hello"), ("\n\t a b \r\n", "a b"), ("", ""), (" \n ", ""), ("x", "x"),
    ("\u{00A0}Ärger über\u{2003}", "Ärger über"), ("e\u{301} ", "e\u{301}"), ("日本語\n", "日本語"),
  ])
  func trimsBothEnds(text: String, expected: String) {
    #expect(text.trimmingWhitespace == expected)
  }
}
