import Foundation
import Yams

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
  /// Policy sections the answer quotes: those named, then those that carry ``topics``
  /// (resolved when the policy is loaded: ``IntentCatalog/resolvingTopics(in:)``).
  public let answer: [String]
  /// The policy section that explains this request's right, if it is a request: the one
  /// named, else the first that carries ``topic``.
  public let section: String?
  /// The ``Topic``s the answer is about, whatever sections of a policy speak to them.
  public let topics: [String]
  /// The topic of the right a request exercises.
  public let topic: String?
  /// The topics asked about that the policy does not cover: the reply says so.
  public let uncovered: [String]
  /// For a request: the words the answer to a question about its right suggests saying to
  /// make it (default: the first example).
  public let offer: String?
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
    answer: [String], section: String?, topics: [String] = [], topic: String? = nil, uncovered: [String] = [],
    offer: String? = nil, reply: String?, collects: Bool, aside: Bool, file: String
  ) {
    self.id = id
    self.examples = examples
    self.patterns = patterns
    self.keywords = keywords
    self.requires = requires
    self.answer = answer
    self.section = section
    self.topics = topics
    self.topic = topic
    self.uncovered = uncovered
    self.offer = offer
    self.reply = reply
    self.collects = collects
    self.aside = aside
    self.file = file
  }

  /// The same intent with its topics resolved to a policy's sections.
  func resolved(answer: [String], section: String?, uncovered: [String]) -> IntentDefinition {
    IntentDefinition(
      id: id, examples: examples, patterns: patterns, keywords: keywords, requires: requires, answer: answer,
      section: section, topics: topics, topic: topic, uncovered: uncovered, offer: offer, reply: reply,
      collects: collects,
      aside: aside, file: file)
  }
}

/// The YAML shape of an intent file.
///
/// Read from the YAML nodes rather than through Codable, whose dynamic casts were a tenth
/// of start-up; a mistake names its line, and a key no intent has (`pattern:` for
/// `patterns:`) is refused rather than ignored.
struct IntentFile {
  var intents: [Entry]

  struct Entry {
    var id: String
    var examples: [String]?
    var patterns: [String]?
    var keywords: [String]?
    var requires: String?
    var answer: [String]?
    var section: String?
    var topics: [String]?
    var topic: String?
    var offer: String?
    var reply: String?
    var collects: Bool?
    var aside: Bool?

    static let keys: Set<String> = [
      "id", "examples", "patterns", "keywords", "requires", "answer", "section", "topics", "topic", "offer", "reply",
      "collects", "aside",
    ]
  }

  init(yaml: String, file: String) throws(EngineError) {
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml, .default, .default, .utf8)
    } catch {
      throw YAMLErrors.describe(error, file: file)
    }
    // A misspelt top-level key would otherwise be ignored, and its intents with it.
    for (key, _) in root?.mapping ?? [:] where key.string != "intents" {
      throw .invalidData(
        file: file, line: key.mark?.line, reason: "unknown key '\(key.string ?? "?")' (known: intents)")
    }
    guard let list = root?.mapping?["intents"] else {
      throw .invalidData(file: file, line: root?.mark?.line ?? 1, reason: "missing key 'intents'")
    }
    guard let items = list.sequence else {
      throw .invalidData(file: file, line: list.mark?.line, reason: "'intents' must be a list")
    }
    intents = try items.map { (item: Node) throws(EngineError) in try Self.entry(item, file: file) }
  }

  private static func entry(_ node: Node, file: String) throws(EngineError) -> Entry {
    guard let mapping = node.mapping else {
      throw .invalidData(file: file, line: node.mark?.line, reason: "each intent must be a mapping")
    }
    for (key, _) in mapping {
      guard let name = key.string, Entry.keys.contains(name) else {
        throw .invalidData(
          file: file, line: key.mark?.line,
          reason: "unknown key '\(key.string ?? "?")' (known: \(Entry.keys.sorted().joined(separator: ", ")))")
      }
    }
    func text(_ key: String) throws(EngineError) -> String? {
      guard let value = mapping[key] else { return nil }
      guard let text = value.scalar?.string else {
        throw .invalidData(file: file, line: value.mark?.line, reason: "'\(key)' must be a text")
      }
      return text
    }
    func texts(_ key: String) throws(EngineError) -> [String]? {
      guard let value = mapping[key] else { return nil }
      guard let items = value.sequence, items.allSatisfy({ $0.scalar != nil }) else {
        throw .invalidData(file: file, line: value.mark?.line, reason: "'\(key)' must be a list of texts")
      }
      return items.compactMap { $0.scalar?.string }
    }
    func flag(_ key: String) throws(EngineError) -> Bool? {
      guard let value = mapping[key] else { return nil }
      guard let flag = value.bool else {
        throw .invalidData(file: file, line: value.mark?.line, reason: "'\(key)' must be true or false")
      }
      return flag
    }
    guard let id = try text("id") else {
      throw .invalidData(file: file, line: node.mark?.line, reason: "an intent without an 'id'")
    }
    return Entry(
      id: id, examples: try texts("examples"), patterns: try texts("patterns"), keywords: try texts("keywords"),
      requires: try text("requires"), answer: try texts("answer"), section: try text("section"),
      topics: try texts("topics"), topic: try text("topic"), offer: try text("offer"), reply: try text("reply"),
      collects: try flag("collects"),
      aside: try flag("aside"))
  }
}
