/// Gives an imported policy's parts their ``Topic``s, from the topics' cue words: a part
/// whose title has a topic's cue carries it; a topic no title names goes to the one part
/// whose text uses its cues most, if it uses them often enough to be about it. Each topic
/// carried says why, for the review report.
enum TopicAssignment {
  /// How many times a part's text must use a topic's cues to carry it without its title.
  static let textHits = 3

  static func assign(to parts: inout [ImportedPolicy.Part]) {
    let titles = parts.map { $0.title.lowercased() }
    let bodies = parts.map { $0.body.lowercased() }
    for topic in Topic.all {
      var named: [Int] = []
      for index in parts.indices {
        if let cue = topic.cues.first(where: { occurrences(of: $0, in: titles[index]) > 0 }) {
          // Inside a part that already carries the topic, a sub-section adds nothing.
          if named.contains(where: { parts[index].id.hasPrefix(parts[$0].id + ".") }) { continue }
          named.append(index)
          parts[index].topics.append(topic.id)
          parts[index].evidence[topic.id] = "title: \"\(cue)\""
        }
      }
      guard named.isEmpty else { continue }
      var best: (index: Int, hits: Int, cue: String)?
      for index in parts.indices {
        var hits = 0
        var strongest = ("", 0)
        for cue in topic.cues {
          let count = occurrences(of: cue, in: bodies[index])
          hits += count
          if count > strongest.1 { strongest = (cue, count) }
        }
        if hits >= textHits, hits > (best?.hits ?? 0) { best = (index, hits, strongest.0) }
      }
      if let best {
        parts[best.index].topics.append(topic.id)
        parts[best.index].evidence[topic.id] = "text: \(best.hits) uses of its words, \"\(best.cue)\" most"
      }
    }
  }

  /// How often `cue` starts a word of `text` (both lower case).
  static func occurrences(of cue: String, in text: String) -> Int {
    var count = 0
    var searchFrom = text.startIndex
    while let range = text.range(of: cue, range: searchFrom..<text.endIndex) {
      let startsWord = range.lowerBound == text.startIndex || !text[text.index(before: range.lowerBound)].isLetter
      if startsWord { count += 1 }
      searchFrom = range.upperBound
    }
    return count
  }
}
