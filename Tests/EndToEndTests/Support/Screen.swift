/// What a terminal shows, as text, with wrapped lines joined.
struct Screen: CustomStringConvertible {
  static let prompt = "you>"

  let lines: [String]

  init(capture: String) {
    var lines = capture.split(separator: "\n", omittingEmptySubsequences: false).map {
      String($0.reversed().drop(while: \.isWhitespace).reversed())
    }
    while lines.last == "" { lines.removeLast() }
    self.lines = lines
  }

  /// The line the cursor is on, as long as the program is waiting for input.
  var lastLine: String { lines.last ?? "" }

  var isAtEmptyPrompt: Bool { lastLine == Self.prompt }

  var promptCount: Int { lines.count { $0.hasPrefix(Self.prompt) } }

  func count(of text: String) -> Int {
    lines.count { $0.contains(text) }
  }

  var description: String { lines.joined(separator: "\n") }
}
