import Yams

/// Splits a section file into its YAML front matter and Markdown body.
package enum FrontMatterParser {
  package static func parse(_ text: String, file: String) throws(EngineError) -> Section {
    // Split on the byte: splitting a String on a Character walks grapheme clusters.
    let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Substring.init)
    guard let first = lines.first, isFence(first) else {
      throw .invalidData(file: file, line: 1, reason: "expected front matter starting with ---")
    }
    guard let end = lines.dropFirst().firstIndex(where: isFence) else {
      throw .invalidData(file: file, line: nil, reason: "front matter is not closed by ---")
    }
    let yaml = lines[1..<end].joined(separator: "\n")
    // Read from the YAML nodes rather than through Codable: with 88 files, Codable's
    // dynamic casts were the largest cost of start-up.
    let node: Node?
    do {
      node = try Yams.compose(yaml: yaml, .default, .default, .utf8)
    } catch {
      throw YAMLErrors.describe(error, file: file, lineOffset: 1)
    }
    guard let node = node?.mapping else {
      throw .invalidData(file: file, line: 2, reason: "front matter must be a mapping of id, title, aliases and topics")
    }
    // Looked up in a dictionary: Yams' subscript resolves a tag by regular expressions
    // for every key it is asked for, a tenth of start-up over 88 files (perf, issue 21).
    let mapping = NodeDecoder.fields(of: node)
    guard let id = mapping["id"]?.string, let title = mapping["title"]?.string else {
      throw .invalidData(file: file, line: 2, reason: "front matter needs an id and a title, each a text")
    }
    var aliases: [String] = []
    if let list = mapping["aliases"] {
      guard let items = list.sequence?.map(\.string), items.allSatisfy({ $0 != nil }) else {
        throw .invalidData(file: file, line: 2, reason: "aliases must be a list of texts")
      }
      aliases = items.compactMap { $0 }
    }
    var topics: [String] = []
    if let list = mapping["topics"] {
      guard let items = list.sequence?.map(\.string), items.allSatisfy({ $0 != nil }) else {
        throw .invalidData(file: file, line: 2, reason: "topics must be a list of topic ids (docs/KNOWLEDGE.md)")
      }
      topics = items.compactMap { $0 }
      if let unknown = topics.first(where: { Topic.named($0) == nil }) {
        throw .invalidData(
          file: file, line: 2, reason: "unknown topic '\(unknown)'; the topics are listed in docs/KNOWLEDGE.md")
      }
    }
    let body = lines[(end + 1)...].joined(separator: "\n").trimmingWhitespace
    guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else {
      throw .invalidData(file: file, line: 2, reason: "id must be dotted lowercase words")
    }
    return Section(id: id, title: title, aliases: aliases, topics: topics, body: body, file: file)
  }

  /// `---`, with any spaces or tabs around it.
  private static func isFence(_ line: Substring) -> Bool {
    var bytes = line.utf8[...]
    while let byte = bytes.first, byte == 0x20 || byte == 0x09 { bytes = bytes.dropFirst() }
    while let byte = bytes.last, byte == 0x20 || byte == 0x09 { bytes = bytes.dropLast() }
    return bytes.elementsEqual("---".utf8)
  }
}
