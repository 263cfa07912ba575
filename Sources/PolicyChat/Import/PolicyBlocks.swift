import Foundation

/// A policy document as a run of headings, paragraphs and list items, whatever format it
/// came in. The text of each is the document's own, with only runs of white space made one
/// space (and, from HTML, the tags taken out and the entities read), so that every sentence
/// reaches the knowledge base verbatim.
public enum PolicyBlock: Sendable, Equatable {
  case heading(level: Int, text: String)
  case paragraph(String)
  case item(String)

  var text: String {
    switch self {
    case .heading(_, let text), .paragraph(let text), .item(let text): text
    }
  }
}

/// The formats `policychat import` reads.
public enum PolicyFormat: String, Sendable, CaseIterable {
  case markdown, html, text

  /// By the file's extension, else by what the text looks like.
  static func detect(path: String, text: String) -> PolicyFormat {
    switch (path as NSString).pathExtension.lowercased() {
    case "md", "markdown": return .markdown
    case "html", "htm", "xhtml": return .html
    case "txt", "text": return .text
    default: break
    }
    let head = text.prefix(4_000).lowercased()
    if head.contains("<html") || head.contains("<body") || head.contains("<p>") || head.contains("<h1")
      || head.contains("<!doctype html")
    {
      return .html
    }
    if text.split(separator: "\n").contains(where: { MarkdownBlocks.heading(Substring($0)) != nil }) {
      return .markdown
    }
    return .text
  }
}

enum Whitespace {
  /// Runs of white space as one space, trimmed.
  static func collapsed<S: StringProtocol>(_ text: S) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    var pendingSpace = false
    for character in text {
      if character.isWhitespace {
        pendingSpace = !result.isEmpty
      } else {
        if pendingSpace { result.append(" ") }
        pendingSpace = false
        result.append(character)
      }
    }
    return result
  }
}

/// Markdown: `#` headings (and `===`/`---` underlines), paragraphs separated by blank
/// lines, `-`, `*`, `+` and `1.` list items.
enum MarkdownBlocks {
  static func read(_ text: String) -> [PolicyBlock] {
    var blocks: [PolicyBlock] = []
    var lines: [Substring] = []
    var item: [Substring]?
    func flushParagraph() {
      if !lines.isEmpty {
        let joined = Whitespace.collapsed(lines.joined(separator: " "))
        if !joined.isEmpty { blocks.append(.paragraph(joined)) }
      }
      lines = []
    }
    func flushItem() {
      if let current = item {
        let joined = Whitespace.collapsed(current.joined(separator: " "))
        if !joined.isEmpty { blocks.append(.item(joined)) }
      }
      item = nil
    }
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
      let trimmed = line.drop { $0 == " " || $0 == "\t" }
      if trimmed.isEmpty {
        flushParagraph()
        flushItem()
        continue
      }
      if let (level, title) = heading(trimmed) {
        flushParagraph()
        flushItem()
        blocks.append(.heading(level: level, text: title))
        continue
      }
      // A line of === or --- under a one-line paragraph makes it a heading.
      if !lines.isEmpty, lines.count == 1, item == nil, trimmed.allSatisfy({ $0 == "=" }) || isRule(trimmed) {
        let title = Whitespace.collapsed(lines[0])
        lines = []
        blocks.append(.heading(level: trimmed.first == "=" ? 1 : 2, text: title))
        continue
      }
      if isRule(trimmed) {
        flushParagraph()
        flushItem()
        continue
      }
      if let rest = itemText(trimmed) {
        flushParagraph()
        flushItem()
        item = [rest]
        continue
      }
      if item != nil && line.first == " " {
        item?.append(trimmed)
      } else {
        flushItem()
        lines.append(trimmed)
      }
    }
    flushParagraph()
    flushItem()
    return blocks
  }

  /// `## Title` → (2, "Title"); closing #s are dropped.
  static func heading(_ line: Substring) -> (Int, String)? {
    let hashes = line.prefix { $0 == "#" }.count
    guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
    var title = Substring(line.dropFirst(hashes))
    while title.last == "#" || title.last == " " { title = title.dropLast() }
    let text = Whitespace.collapsed(title)
    return text.isEmpty ? nil : (hashes, text)
  }

  private static func isRule(_ line: Substring) -> Bool {
    let marks = line.filter { $0 != " " }
    return marks.count >= 3 && (marks.allSatisfy { $0 == "-" } || marks.allSatisfy { $0 == "*" })
  }

  /// The text of a list item's first line: `- x`, `* x`, `+ x`, `1. x`, `1) x`.
  private static func itemText(_ line: Substring) -> Substring? {
    if let first = line.first, "-*+".contains(first), line.dropFirst().first == " " {
      return line.dropFirst(2)
    }
    let digits = line.prefix { $0.isASCII && $0.isNumber }
    guard !digits.isEmpty, digits.count <= 3 else { return nil }
    let rest = line.dropFirst(digits.count)
    guard let mark = rest.first, mark == "." || mark == ")", rest.dropFirst().first == " " else { return nil }
    return rest.dropFirst(2)
  }
}

/// Plain text: paragraphs separated by blank lines; a short line standing alone that reads
/// as a title ("3. How We Use Your Information", "SECURITY") is a heading. With fewer than
/// two such lines the policy has no headings, and its paragraphs are its parts.
enum PlainTextBlocks {
  static func read(_ text: String) -> [PolicyBlock] {
    var paragraphs: [[Substring]] = [[]]
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
      if line.allSatisfy(\.isWhitespace) {
        if !(paragraphs.last ?? []).isEmpty { paragraphs.append([]) }
      } else {
        paragraphs[paragraphs.count - 1].append(line)
      }
    }
    var blocks: [PolicyBlock] = []
    for lines in paragraphs where !lines.isEmpty {
      // A title line directly above its paragraph, with no blank line between.
      if lines.count > 1, let level = headingLevel(lines[0]) {
        blocks.append(.heading(level: level, text: Whitespace.collapsed(lines[0])))
        blocks.append(contentsOf: body(lines.dropFirst()))
      } else if lines.count == 1, let level = headingLevel(lines[0]) {
        blocks.append(.heading(level: level, text: Whitespace.collapsed(lines[0])))
      } else {
        blocks.append(contentsOf: body(lines[...]))
      }
    }
    let headings = blocks.filter { if case .heading = $0 { true } else { false } }.count
    if headings < 2 {
      return blocks.map { if case .heading(_, let text) = $0 { .paragraph(text) } else { $0 } }
    }
    return blocks
  }

  /// A paragraph, or list items when its lines start with bullets.
  private static func body(_ lines: ArraySlice<Substring>) -> [PolicyBlock] {
    let bullets = lines.filter { line in
      let trimmed = line.drop { $0 == " " }
      return trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") || trimmed.hasPrefix("• ")
    }
    guard bullets.count == lines.count, lines.count > 1 || bullets.count == 1 else {
      return [.paragraph(Whitespace.collapsed(lines.joined(separator: " ")))]
    }
    return lines.map { .item(Whitespace.collapsed($0.drop { $0 == " " }.dropFirst(2))) }
  }

  /// 1 for a title, 2 for a numbered sub-title ("2.1 Cookies"), nil for a line of prose.
  static func headingLevel(_ line: Substring) -> Int? {
    let text = Whitespace.collapsed(line)
    let words = text.split(separator: " ")
    guard !text.isEmpty, text.count <= 80, words.count <= 12, let last = text.last,
      !".,;!?".contains(last), text.first?.isLetter == true || text.first?.isNumber == true
    else { return nil }
    // "2.1 Cookies" or "2.1. Cookies": a sub-title; "2. Cookies", "II. Cookies": a title.
    if let number = words.first, number.allSatisfy({ $0.isNumber || $0 == "." }), number.first?.isNumber == true {
      let parts = number.split(separator: ".")
      guard words.count > 1 else { return nil }
      return parts.count > 1 ? 2 : 1
    }
    // Every word capitalised (short linking words aside), or all in capitals.
    let small: Set<String> = [
      "a", "an", "and", "or", "of", "the", "to", "for", "in", "on", "we", "you", "your", "with", "by", "how", "our",
      "is", "do", "about", "us", "what", "this", "from", "at",
    ]
    let capitalised = words.allSatisfy { word in
      guard let first = word.first(where: \.isLetter) else { return true }
      return first.isUppercase || small.contains(word.lowercased())
    }
    return capitalised && words.first?.first(where: \.isLetter)?.isUppercase == true ? 1 : nil
  }
}
