import PolicyChat

/// How a turn looks in a terminal: each reply as a paragraph, then what the host
/// application would do with the turn's events, and a pointer to `/why` for a decision.
struct TurnRenderer {
  /// Shows the one-time codes a host would deliver, so that a developer can play both
  /// the child and the parent. Never for real people: the code proves the parent's address.
  var developmentMode = false

  func render(_ turn: Turn) -> String {
    var paragraphs = turn.replies.map(\.text)
    for event in turn.events {
      switch event.type {
      case "verification.send":
        var line =
          "[host] A message with a one-time code for \(event.data["reference"] ?? "the request") would be sent to \(event.data["to"] ?? "the address given")."
        if developmentMode, let code = event.data["code"] {
          line += "\n[development mode] The code is \(code)."
        }
        paragraphs.append(line)
      case "parental_consent.confirmed":
        paragraphs.append(
          "[host] A confirmation of consent \(event.data["reference"] ?? "") would be sent to \(event.data["to"] ?? "the parent")."
        )
      default:
        continue
      }
    }
    if let decision = turn.decision {
      paragraphs.append("(Automated decision: \(decision.kind). Type /why for the reasons and how to contest it.)")
    }
    return paragraphs.joined(separator: "\n\n")
  }
}
