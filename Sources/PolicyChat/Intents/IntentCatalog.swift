import Foundation
import Yams

/// Every intent, the lexicon and the thresholds, as loaded from `intents/`.
public struct IntentCatalog: Sendable {
  /// Intents in file order; rules are tried in this order.
  public let intents: [IntentDefinition]
  public let lexicon: Lexicon
  public let thresholds: Thresholds
  let cues: [String: [TextPattern]]

  /// The intent ids every deployment must have (DESIGN.md).
  public static let requiredIds = [
    "greeting", "goodbye", "thanks", "help", "fallback",
    "request.access", "request.correction", "request.erasure", "request.objection",
    "request.restriction", "request.portability", "request.withdraw_consent",
    "request.complaint", "request.human_review",
    // The engine's own replies: a topic the policy does not cover, the offer to act after
    // a question about a right.
    "policy.not_covered", "request.offer",
  ]

  public func intent(_ id: String) -> IntentDefinition? {
    intents.first { $0.id == id }
  }

  /// Whether a cue set matches the normalised text.
  func cue(_ name: String, matches text: String) -> Bool {
    cue(name, matches: MatchText(text))
  }

  func cue(_ name: String, matches text: MatchText) -> Bool {
    (cues[name] ?? []).contains { $0.matches(text) }
  }

  /// The question shapes (``Lexicon/questionShapes``) whose cue sets match the normalised
  /// text, in the order of their names, with their words.
  func shapes(matching text: String) -> [(name: String, words: [String])] {
    let message = MatchText(text)
    let shapes = lexicon.questionShapes ?? [:]
    return shapes.keys.sorted().filter { cue($0, matches: message) }.map { ($0, shapes[$0] ?? []) }
  }

  /// What a cue set's group `group` matched in the normalised text, with where the whole
  /// match starts, for every match.
  func cueCaptures(_ name: String, group: String, in text: String) -> [CueCapture] {
    let range = NSRange(text.startIndex..., in: text)
    var captures: [CueCapture] = []
    for pattern in cues[name] ?? [] {
      for match in pattern.regex.matches(in: text, range: range) {
        guard let whole = Range(match.range, in: text), let part = Range(match.range(withName: group), in: text)
        else { continue }
        captures.append(CueCapture(text: String(text[part]), matchStart: whole.lowerBound, start: part.lowerBound))
      }
    }
    return captures
  }

  struct CueCapture {
    var text: String
    var matchStart: String.Index
    var start: String.Index
  }

  /// The catalogue over one policy: every section an intent names exists, and every topic
  /// it names becomes the sections that carry it (``KnowledgeBase/sections(covering:)``),
  /// or, when none does, a topic the reply says the policy does not cover.
  func resolvingTopics(in knowledge: KnowledgeBase) throws(EngineError) -> IntentCatalog {
    var resolved: [IntentDefinition] = []
    for intent in intents {
      for id in intent.answer + [intent.section].compactMap({ $0 }) where knowledge.section(id) == nil {
        throw .invalidData(file: intent.file, line: nil, reason: "intent '\(intent.id)' names unknown section '\(id)'")
      }
      guard !intent.topics.isEmpty || intent.topic != nil else {
        resolved.append(intent)
        continue
      }
      var answer = intent.answer
      for topic in intent.topics {
        for section in knowledge.sections(covering: topic) where !answer.contains(section.id) {
          answer.append(section.id)
        }
      }
      let section = intent.section ?? intent.topic.flatMap { knowledge.sections(covering: $0).first?.id }
      let uncovered = answer.isEmpty ? intent.topics : []
      resolved.append(intent.resolved(answer: answer, section: section, uncovered: uncovered))
    }
    return IntentCatalog(intents: resolved, lexicon: lexicon, thresholds: thresholds, cues: cues)
  }

  /// The section an intent answers from: a `policy.*` intent of the catalogue answers from
  /// what it resolved to, any other `policy.<id>` from section `<id>`; a request, from the
  /// section of its right.
  func sectionId(of intent: String) -> String? {
    if let definition = self.intent(intent) {
      if intent.hasPrefix("policy.") {
        if let first = definition.answer.first { return first }
        if !definition.uncovered.isEmpty { return nil }
      } else {
        return definition.section
      }
    }
    return intent.hasPrefix("policy.") ? String(intent.dropFirst("policy.".count)) : nil
  }

  /// The catalogue without checking the sections it names, so that it can be read while
  /// the sections are (``resolvingTopics(in:)`` then resolves what it names).
  static func load(home: URL) throws(EngineError) -> IntentCatalog {
    let folder = home.appendingPathComponent("intents")
    let lexicon: Lexicon = try decode(folder.appendingPathComponent("nlu/lexicon.yaml"), home: home)
    let thresholds: Thresholds = try decode(folder.appendingPathComponent("nlu/thresholds.yaml"), home: home)
    var cues: [String: [TextPattern]] = [:]
    for (name, sources) in lexicon.cues {
      cues[name] = try sources.map { source throws(EngineError) in
        try compile(source, file: "intents/nlu/lexicon.yaml")
      }
    }
    for name in (lexicon.questionShapes ?? [:]).keys.sorted() where cues[name] == nil {
      throw .invalidData(
        file: "intents/nlu/lexicon.yaml", line: nil, reason: "question shape '\(name)' names no cue set")
    }
    for (name, topic) in (lexicon.followUpTopics ?? [:]).sorted(by: { $0.key < $1.key }) {
      guard cues[name] != nil else {
        throw .invalidData(file: "intents/nlu/lexicon.yaml", line: nil, reason: "follow-up '\(name)' names no cue set")
      }
      guard Topic.named(topic) != nil else {
        throw .invalidData(
          file: "intents/nlu/lexicon.yaml", line: nil, reason: "follow-up '\(name)' names unknown topic '\(topic)'")
      }
    }
    var intents: [IntentDefinition] = []
    let files = try DataFiles.list(folder, extension: "yaml", relativeTo: home)
      .filter { $0.deletingLastPathComponent().lastPathComponent != "nlu" }
    for url in files {
      let name = DataFiles.relative(url, to: home)
      let file = try IntentFile(yaml: DataFiles.read(url, relativeTo: home), file: name)
      for entry in file.intents {
        intents.append(try makeIntent(entry, file: name, cueNames: Set(cues.keys)))
      }
    }
    var seen: Set<String> = []
    for intent in intents where !seen.insert(intent.id).inserted {
      throw .invalidData(file: intent.file, line: nil, reason: "intent '\(intent.id)' is defined twice")
    }
    for id in requiredIds where !seen.contains(id) {
      throw .invalidData(file: "intents", line: nil, reason: "required intent '\(id)' is missing")
    }
    return IntentCatalog(intents: intents, lexicon: lexicon, thresholds: thresholds, cues: cues)
  }

  /// One intent file read and compiled as ``load(home:)`` does, without the rest of the
  /// catalogue: the fuzz targets feed it arbitrary text.
  package static func intents(
    yaml: String, file: String, cueNames: Set<String>
  ) throws(EngineError) -> [IntentDefinition] {
    try IntentFile(yaml: yaml, file: file).intents.map { entry throws(EngineError) in
      try makeIntent(entry, file: file, cueNames: cueNames)
    }
  }

  private static func makeIntent(
    _ entry: IntentFile.Entry, file: String, cueNames: Set<String>
  ) throws(EngineError) -> IntentDefinition {
    if let requires = entry.requires, !cueNames.contains(requires) {
      throw .invalidData(file: file, line: nil, reason: "intent '\(entry.id)' requires unknown cue set '\(requires)'")
    }
    if entry.reply == nil && (entry.answer ?? []).isEmpty && (entry.topics ?? []).isEmpty {
      throw .invalidData(file: file, line: nil, reason: "intent '\(entry.id)' has neither a reply nor an answer")
    }
    for topic in (entry.topics ?? []) + [entry.topic].compactMap({ $0 }) where Topic.named(topic) == nil {
      throw .invalidData(
        file: file, line: nil,
        reason: "intent '\(entry.id)' names unknown topic '\(topic)'; the topics are listed in docs/KNOWLEDGE.md")
    }
    let patterns = try (entry.patterns ?? []).map { source throws(EngineError) in try compile(source, file: file) }
    let keywords = try (entry.keywords ?? []).map { source throws(EngineError) in try compile(source, file: file) }
    if !keywords.isEmpty && !entry.id.hasPrefix("policy.") {
      throw .invalidData(
        file: file, line: nil, reason: "intent '\(entry.id)' has keywords but is not a policy.* intent")
    }
    return IntentDefinition(
      id: entry.id, examples: entry.examples ?? [], patterns: patterns, keywords: keywords, requires: entry.requires,
      answer: entry.answer ?? [], section: entry.section, topics: entry.topics ?? [], topic: entry.topic,
      offer: entry.offer, reply: entry.reply, collects: entry.collects ?? false,
      aside: entry.aside ?? false,
      file: file)
  }

  private static func compile(_ source: String, file: String) throws(EngineError) -> TextPattern {
    do {
      return try TextPattern(source)
    } catch {
      throw .invalidData(file: file, line: nil, reason: "invalid regular expression '\(source)'")
    }
  }

  private static func decode<T: Decodable>(_ url: URL, home: URL) throws(EngineError) -> T {
    try DataFiles.decodeYAML(url, home: home)
  }
}
