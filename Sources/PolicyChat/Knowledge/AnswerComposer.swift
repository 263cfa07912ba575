/// Cuts a section down to what answers the question, in the policy's own words.
struct AnswerComposer: Sendable {
  let knowledge: KnowledgeBase
  let maxCharacters: Int

  /// The section's text (or its most relevant blocks when it is long) and the citation.
  ///
  /// A section with subsections either introduces them as a list (its text ends with
  /// ":", as "you may exercise the following rights:" does), and then the list of their
  /// titles completes it; or it only introduces the topic, and then the subsection that
  /// best matches the question (`bestChild`) carries the substance, with the others named.
  func answer(from sectionId: String, terms: [QueryTerm], bestChild: String? = nil) -> Answer? {
    guard let section = knowledge.section(sectionId) else { return nil }
    var blocks = section.blocks
    let children = knowledge.children(of: sectionId)
    if let last = blocks.last?.text, last.hasSuffix(":"), !children.isEmpty {
      blocks[blocks.count - 1] = AnswerBlock(
        last + "\n" + children.map { "- " + $0.title }.joined(separator: "\n"))
    } else if let child = children.first(where: { $0.id == bestChild }) ?? children.first {
      let lead = select(blocks, terms: terms, limit: maxCharacters * 2 / 3)
      let detail = select(child.blocks, terms: terms, limit: maxCharacters - lead.count)
      let others = children.filter { $0.id != child.id }.map(\.title)
      var text = lead + "\n\n" + child.title + ":\n" + detail
      if !others.isEmpty {
        text += "\n\nThis part of the policy also covers: " + others.joined(separator: "; ") + "."
      }
      return Answer(text: text + "\n\n" + knowledge.citation(for: child.id), sources: [sectionId, child.id])
    }
    let text = select(blocks, terms: terms, limit: maxCharacters) + "\n\n" + knowledge.citation(for: sectionId)
    return Answer(text: text, sources: [sectionId])
  }

  /// An answer's text, ending with its citation, and the sections it quotes.
  struct Answer {
    var text: String
    var sources: [String]
  }

  /// Paragraphs and lists, each with the line that introduces it.
  static func blocks(of body: String) -> [String] {
    var blocks: [String] = []
    for chunk in body.components(separatedBy: "\n\n") {
      let trimmed = chunk.trimmingWhitespace
      guard !trimmed.isEmpty else { continue }
      if trimmed.hasPrefix("- "), let last = blocks.last, last.hasSuffix(":") {
        blocks[blocks.count - 1] = last + "\n" + trimmed
      } else {
        blocks.append(trimmed)
      }
    }
    return blocks
  }

  /// All blocks if they fit; otherwise the first block and then the blocks that share the
  /// most words with the question, kept in policy order.
  private func select(_ blocks: [AnswerBlock], terms: [QueryTerm], limit: Int) -> String {
    let all = blocks.map(\.text).joined(separator: "\n\n")
    guard all.count > limit, blocks.count > 1 else { return all }
    let wanted = Set(terms.flatMap(\.alternatives).map(TextNormalizer.roughStem))
    let overlaps = blocks.map { $0.stems.intersection(wanted).count }
    let ranked = blocks.indices.dropFirst().sorted { a, b in
      overlaps[a] != overlaps[b] ? overlaps[a] > overlaps[b] : a < b
    }
    var chosen: Set<Int> = [0]
    var length = blocks[0].length
    for index in ranked where length + blocks[index].length + 2 <= limit {
      chosen.insert(index)
      length += blocks[index].length + 2
    }
    return chosen.sorted().map { blocks[$0].text }.joined(separator: "\n\n")
  }
}

/// A paragraph or list of a section, with what choosing it needs.
struct AnswerBlock: Sendable, Equatable {
  let text: String
  /// Its length in characters.
  let length: Int
  /// The rough stems of its words, to weigh it against the question's.
  let stems: Set<String>

  init(_ text: String) {
    self.text = text
    length = text.count
    stems = Set(TextNormalizer.words(TextNormalizer.normalize(text)).map(TextNormalizer.roughStem))
  }
}
