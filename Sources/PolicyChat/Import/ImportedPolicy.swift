import Foundation

/// A policy read into sections, ready to be written as a home's `knowledge/sections/`.
/// Sections and sub-sections come from the document's headings; a document without
/// headings has its paragraphs as its parts. Every paragraph and list item is kept in a
/// section's body exactly as the document has it.
public struct ImportedPolicy: Sendable {
  public struct Part: Sendable, Equatable {
    public var id: String
    public var title: String
    /// Markdown: paragraphs, and list items as `- item`, separated by blank lines.
    public var body: String
    public var topics: [String] = []
    /// Why each topic was given: "title: retention", "text: retain ×3".
    public var evidence: [String: String] = [:]
  }

  /// The document's own title, when its first heading stands above all the others.
  public var documentTitle: String?
  /// In document order; a sub-section's id is its parent's, a dot, and its own.
  public var parts: [Part]
  /// Whether the parts came from headings (false: from paragraphs).
  public var fromHeadings: Bool

  /// Why a document is refused, in words for the person importing it.
  public struct Refusal: Error, CustomStringConvertible {
    public let description: String
  }

  /// Reads `text` in `format` into parts; refuses what is empty or reads as no policy.
  public static func read(_ text: String, format: PolicyFormat) throws(Refusal) -> ImportedPolicy {
    let blocks: [PolicyBlock]
    switch format {
    case .markdown: blocks = MarkdownBlocks.read(text)
    case .html: blocks = HTMLBlocks.read(text)
    case .text: blocks = PlainTextBlocks.read(text)
    }
    let words = blocks.reduce(0) { $0 + $1.text.split(separator: " ").count }
    guard words > 0 else { throw Refusal(description: "the document has no text") }
    let lower = blocks.map(\.text).joined(separator: " ").lowercased()
    let policyWords = [
      "personal", "privacy", "information", "data", "cookie", "email", "e-mail", "third part", "collect", "share",
    ].filter { lower.contains($0) }
    guard words >= 40, policyWords.count >= 2 else {
      throw Refusal(
        description:
          "the document does not read as a privacy policy (\(words) words; it should speak of personal information, data or privacy)"
      )
    }
    var policy = ImportedPolicy(blocks: blocks)
    TopicAssignment.assign(to: &policy.parts)
    return policy
  }

  init(blocks: [PolicyBlock]) {
    documentTitle = nil
    var blocks = blocks[...]
    let levels = blocks.compactMap { if case .heading(let level, _) = $0 { level } else { nil } }
    // One heading at the highest level, first in the document: the document's title.
    if let top = levels.min(), levels.filter({ $0 == top }).count == 1, case .heading(top, let title)? = blocks.first,
      levels.count > 1
    {
      documentTitle = title
      blocks = blocks.dropFirst()
    }
    let remaining = blocks.compactMap { if case .heading(let level, _) = $0 { level } else { nil } }
    fromHeadings = !remaining.isEmpty
    var parts: [Part] = []
    var ids = Set<String>()
    func uniqueId(_ base: String) -> String {
      var id = base
      var number = 2
      while ids.contains(id) {
        id = "\(base)-\(number)"
        number += 1
      }
      ids.insert(id)
      return id
    }
    if !fromHeadings {
      for (number, block) in blocks.enumerated() {
        let title = ImportedPolicy.shortTitle(block.text)
        parts.append(
          Part(
            id: uniqueId(String(format: "part-%03d", number + 1)), title: title, body: ImportedPolicy.markdown([block]))
        )
      }
      self.parts = parts
      return
    }
    // Levels below the section level are sub-sections of the section above them; deeper
    // headings stay in the sub-section's text as paragraphs, so that nothing is lost.
    let sectionLevel = remaining.min() ?? 1
    let introductionTitle = documentTitle ?? "Introduction"
    var current: (level: Int, title: String, parent: String?)?
    var body: [PolicyBlock] = []
    var lastSectionId: String?
    func close() {
      guard let heading = current else {
        if !body.isEmpty {
          parts.append(
            Part(
              id: uniqueId("introduction"), title: introductionTitle, body: ImportedPolicy.markdown(body)))
        }
        body = []
        return
      }
      let slug = ImportedPolicy.slug(heading.title)
      let id = uniqueId(heading.parent.map { $0 + "." + slug } ?? slug)
      if heading.parent == nil { lastSectionId = id }
      parts.append(Part(id: id, title: heading.title, body: ImportedPolicy.markdown(body)))
      body = []
    }
    for block in blocks {
      guard case .heading(let level, let title) = block, level <= sectionLevel + 1 else {
        if case .heading(_, let title) = block {
          body.append(.paragraph(title))
        } else {
          body.append(block)
        }
        continue
      }
      close()
      current = (level, title, level == sectionLevel ? nil : lastSectionId)
    }
    close()
    self.parts = parts
  }

  /// A title for a part without a heading: its first sentence when short, else its first
  /// words.
  static func shortTitle(_ text: String) -> String {
    let sentenceEnd = text.firstIndex { ".!?:".contains($0) }
    let first = sentenceEnd.map { String(text[..<$0]) } ?? text
    if first.count <= 70, first.count >= 3 { return first }
    let words = text.split(separator: " ").prefix(8).joined(separator: " ")
    return words + (text.split(separator: " ").count > 8 ? "…" : "")
  }

  /// `How We Use Your Information` → `how-we-use-your-information` (at most six words).
  static func slug(_ title: String) -> String {
    var words: [String] = []
    var word = ""
    for character in title.lowercased() {
      if character.isASCII && (character.isLetter || character.isNumber) {
        word.append(character)
      } else if !word.isEmpty {
        words.append(word)
        word = ""
      }
    }
    if !word.isEmpty { words.append(word) }
    // A leading section number ("3", "2.1") says nothing the order does not.
    while let first = words.first, first.allSatisfy(\.isNumber), words.count > 1 { words.removeFirst() }
    let slug = words.prefix(6).joined(separator: "-")
    return slug.isEmpty ? "section" : slug
  }

  static func markdown(_ blocks: [PolicyBlock]) -> String {
    var text = ""
    var previousWasItem = false
    for block in blocks {
      switch block {
      case .item(let item):
        text += (text.isEmpty ? "" : (previousWasItem ? "\n" : "\n\n")) + "- " + item
        previousWasItem = true
      case .paragraph(let paragraph), .heading(_, let paragraph):
        text += (text.isEmpty ? "" : "\n\n") + paragraph
        previousWasItem = false
      }
    }
    return text
  }
}
