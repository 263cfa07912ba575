import PolicyChat

/// How a turn looks in a terminal: each reply as a paragraph.
enum TurnRenderer {
  static func render(_ turn: Turn) -> String {
    turn.replies.map(\.text).joined(separator: "\n\n")
  }
}
