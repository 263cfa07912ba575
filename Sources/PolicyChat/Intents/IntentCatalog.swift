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

  /// Every section an intent names exists in the knowledge base.
  func checkSections(in knowledge: KnowledgeBase) throws(EngineError) {
    for intent in intents {
      for id in intent.answer + [intent.section].compactMap({ $0 }) where knowledge.section(id) == nil {
        throw .invalidData(file: intent.file, line: nil, reason: "intent '\(intent.id)' names unknown section '\(id)'")
      }
    }
  }

  /// The catalogue without checking the sections it names, so that it can be read while
  /// the sections are (``checkSections(in:)`` then checks them).
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
    if entry.reply == nil && (entry.answer ?? []).isEmpty {
      throw .invalidData(file: file, line: nil, reason: "intent '\(entry.id)' has neither a reply nor an answer")
    }
    let patterns = try (entry.patterns ?? []).map { source throws(EngineError) in try compile(source, file: file) }
    let keywords = try (entry.keywords ?? []).map { source throws(EngineError) in try compile(source, file: file) }
    if !keywords.isEmpty && !entry.id.hasPrefix("policy.") {
      throw .invalidData(
        file: file, line: nil, reason: "intent '\(entry.id)' has keywords but is not a policy.* intent")
    }
    return IntentDefinition(
      id: entry.id, examples: entry.examples ?? [], patterns: patterns, keywords: keywords, requires: entry.requires,
      answer: entry.answer ?? [], section: entry.section, reply: entry.reply, collects: entry.collects ?? false,
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
