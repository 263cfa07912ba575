/// HTML: `h1`–`h6` are headings, `li` list items, and the text of other block elements
/// (`p`, `div`, `td`, …) paragraphs. Tags are taken out and entities read; the contents of
/// `script`, `style`, `head`, `noscript`, `template` and `svg` are not the policy's text.
enum HTMLBlocks {
  private static let skipped: Set<String> = ["script", "style", "head", "noscript", "template", "svg", "title"]
  private static let breaking: Set<String> = [
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "br", "tr", "td", "th",
    "table", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "hr", "body", "html", "address", "figure",
    "figcaption", "form", "fieldset",
  ]

  static func read(_ html: String) -> [PolicyBlock] {
    var blocks: [PolicyBlock] = []
    var text = ""
    // What the text being gathered will be: a heading's level, a list item, or a paragraph.
    var heading: Int?
    var inItem = false
    var skipping: String?
    func flush() {
      let collapsed = Whitespace.collapsed(decodeEntities(text))
      text = ""
      guard !collapsed.isEmpty else { return }
      if let heading {
        blocks.append(.heading(level: heading, text: collapsed))
      } else if inItem {
        blocks.append(.item(collapsed))
      } else {
        blocks.append(.paragraph(collapsed))
      }
    }
    var index = html.startIndex
    while index < html.endIndex {
      let character = html[index]
      guard character == "<" else {
        if skipping == nil { text.append(character) }
        index = html.index(after: index)
        continue
      }
      // A comment or a declaration: skipped whole.
      if html[index...].hasPrefix("<!--") {
        index = html[index...].range(of: "-->")?.upperBound ?? html.endIndex
        continue
      }
      guard let close = html[index...].firstIndex(of: ">") else {
        if skipping == nil { text.append(contentsOf: html[index...]) }
        break
      }
      let tag = html[html.index(after: index)..<close]
      index = html.index(after: close)
      let closing = tag.hasPrefix("/")
      let name = String(
        tag.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }
      ).lowercased()
      guard !name.isEmpty else {
        // "<" that opens no tag ("a < b") is text.
        if skipping == nil, !tag.hasPrefix("!"), !tag.hasPrefix("?") { text += "<" + tag + ">" }
        continue
      }
      if let skipped = skipping {
        if closing && name == skipped { skipping = nil }
        continue
      }
      if skipped.contains(name) && !closing && !tag.hasSuffix("/") {
        skipping = name
        continue
      }
      if name.count == 2, name.first == "h", let level = Int(String(name.last ?? "x")), (1...6).contains(level) {
        flush()
        heading = closing ? nil : level
        continue
      }
      if name == "li" {
        flush()
        inItem = !closing
        continue
      }
      if breaking.contains(name) {
        flush()
        if name == "ul" || name == "ol" { inItem = false }
      } else if !closing, ["span", "a", "b", "i", "em", "strong", "u", "small", "sup", "sub", "code"].contains(name) {
        continue
      }
    }
    flush()
    return blocks
  }

  private static let named: [String: String] = [
    "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "rsquo": "\u{2019}",
    "lsquo": "\u{2018}", "ldquo": "\u{201C}", "rdquo": "\u{201D}", "ndash": "\u{2013}", "mdash": "\u{2014}",
    "hellip": "\u{2026}", "copy": "\u{A9}", "reg": "\u{AE}", "trade": "\u{2122}", "bull": "\u{2022}",
    "middot": "\u{B7}", "sect": "\u{A7}", "euro": "\u{20AC}", "pound": "\u{A3}", "eacute": "\u{E9}",
    "uuml": "\u{FC}", "ouml": "\u{F6}", "auml": "\u{E4}", "szlig": "\u{DF}",
  ]

  /// `&amp;`, `&#8217;`, `&#x2019;` and the common named entities; an unknown one stays.
  static func decodeEntities(_ text: String) -> String {
    guard text.contains("&") else { return text }
    var result = ""
    var index = text.startIndex
    while index < text.endIndex {
      let character = text[index]
      guard character == "&", let semicolon = text[index...].prefix(12).firstIndex(of: ";") else {
        result.append(character)
        index = text.index(after: index)
        continue
      }
      let name = text[text.index(after: index)..<semicolon]
      var decoded: String?
      if name.hasPrefix("#x") || name.hasPrefix("#X") {
        decoded = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
      } else if name.hasPrefix("#") {
        decoded = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
      } else {
        decoded = named[String(name)]
      }
      if let decoded {
        result += decoded
        index = text.index(after: semicolon)
      } else {
        result.append(character)
        index = text.index(after: index)
      }
    }
    return result
  }
}
