import Foundation

/// What a front end may do with its own history of typed lines (a terminal's history
/// file) after a turn. The engine decides it from the facts it keeps chat text by, so that
/// no front end repeats, or drifts from, the logging rule.
public enum HistoryUpdate: Sendable, Equatable {
  /// Keep nothing of this message.
  case nothing
  /// Append this line: the message redacted as kept chat text is, on one line.
  case append(String)
  /// The person had what was kept under their consent deleted: delete the history too,
  /// this message with it.
  case deleteAll
}

/// A turn, with what of its message may go into the front end's history.
public struct SentMessage: Sendable, Equatable {
  public var turn: Turn
  public var history: HistoryUpdate

  public init(turn: Turn, history: HistoryUpdate) {
    self.turn = turn
    self.history = history
  }
}

/// What of a person's message may outlive its turn, read from the session before the turn:
/// the one rule behind the chat text the engine keeps and a front end's history.
struct MessageKeeping {
  /// `session_logging` was in force when the message came: consent is prior, so the
  /// message that gives it is not kept.
  let wasLogging: Bool
  /// The message answers a one-time code step: it proves identity, and is never kept, not
  /// even under logging consent.
  let answersCode: Bool

  init(before state: SessionState, at now: Date) {
    wasLogging = state.consentValid("session_logging", at: now)
    if case .flow(let flow)? = state.pending {
      answersCode = flow.waitsOnCode
    } else {
      answersCode = false
    }
  }

  /// Whether anything of the message may be kept: logging in force before and after the
  /// turn (the message that withdraws it is not kept either).
  func mayKeep(after state: SessionState, at now: Date) -> Bool {
    wasLogging && state.consentValid("session_logging", at: now)
  }

  /// The text to keep with the conversation (before redaction), or nil.
  func keptText(_ message: String, after state: SessionState, at now: Date) -> String? {
    guard mayKeep(after: state, at: now) else { return nil }
    return answersCode ? "[code]" : message
  }

  /// What the front end's history may take of the message. Unlike kept text, a code leaves
  /// not even a placeholder (nothing there to recall), and a command is not written: it is
  /// retyped in a word, and `/age` or `/parent` carry a birth date or a reference.
  func history(
    _ message: String, turn: Turn, after state: SessionState, at now: Date, redactor: Redactor
  ) -> HistoryUpdate {
    if turn.events.contains(where: { $0.type == "transcript.deleted" }) { return .deleteAll }
    let message = message.trimmingWhitespace
    guard mayKeep(after: state, at: now), !answersCode, !message.isEmpty, !message.hasPrefix("/") else {
      return .nothing
    }
    return .append(redactor.redact(message).text.replacingOccurrences(of: "\n", with: " "))
  }
}
