import Foundation

/// One intent from a file under `intents/`.
///
/// A class: every turn walks the whole catalogue, several times, and a struct this wide
/// would be copied (a dozen retains and releases) at each step.
public final class IntentDefinition: Sendable {
  public let id: String
  /// Utterances that mean this intent; indexed for retrieval.
  public let examples: [String]
  /// High-precision regular expressions over the normalised text.
  let patterns: [TextPattern]
  /// Regular expressions that lend weight to this intent's section (and its subsections)
  /// in retrieval without deciding on their own: "is this app safe?" leans towards
  /// security even though the policy's security section never says "safe".
  let keywords: [TextPattern]
  /// A cue set (from the lexicon) that must also match for the patterns to count, e.g.
  /// `request` so that "what is erasure?" is not taken as a request to erase.
  public let requires: String?
  /// Policy sections the answer quotes.
  public let answer: [String]
  /// The policy section that explains this request's right, if it is a request.
  public let section: String?
  /// Text of the reply, with `{placeholders}`; see ``ReplyTemplate``.
  public let reply: String?
  /// Acting on it collects or keeps personal data, so the age gate runs first.
  public let collects: Bool
  /// A side question ("why did you say that?", "are you a bot?"): answered without
  /// dropping a question the assistant is waiting on.
  public let aside: Bool
  public let file: String

  init(
    id: String, examples: [String], patterns: [TextPattern], keywords: [TextPattern], requires: String?,
    answer: [String], section: String?, reply: String?, collects: Bool, aside: Bool, file: String
  ) {
    self.id = id
    self.examples = examples
    self.patterns = patterns
    self.keywords = keywords
    self.requires = requires
    self.answer = answer
    self.section = section
    self.reply = reply
    self.collects = collects
    self.aside = aside
    self.file = file
  }
}

/// The YAML shape of an intent file.
struct IntentFile: Decodable {
  var intents: [Entry]

  struct Entry: Decodable {
    var id: String
    var examples: [String]?
    var patterns: [String]?
    var keywords: [String]?
    var requires: String?
    var answer: [String]?
    var section: String?
    var reply: String?
    var collects: Bool?
    var aside: Bool?
  }
}
