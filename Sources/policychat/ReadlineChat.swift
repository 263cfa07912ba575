import CReadline
import Foundation
import PolicyChat

/// The chat for a person at a terminal: GNU readline's line editing, history of this
/// session (kept in a file only with the person's consent), and tab completion of slash
/// commands.
struct ReadlineChat {
  let loop: ChatLoop

  func run() throws {
    slashCommandNames = SlashCommand.all.map(\.name)
    policychat_configure_completion(completeSlashCommand)
    let opening = try loop.open()
    defer {
      loop.close()
      // What was typed may hold personal data: it lives no longer than the session.
      clear_history()
    }
    emit(opening)
    var history = SessionHistory()
    let file = HistoryFile()
    if loop.mayRecallHistory {
      for line in file.lines() { history.remember(line) }
    }
    while true {
      var pointer: UnsafeMutablePointer<CChar>?
      switch policychat_read_line("you> ", &pointer) {
      case .interrupted:
        continue
      case .end:
        // Ctrl-D leaves the cursor on the prompt's line; the shell's prompt belongs below it.
        print()
        return
      case .line:
        guard let pointer else { continue }
        let line = String(cString: pointer)
        free(pointer)
        history.remember(line)
        let outcome = try loop.handle(line)
        // The engine decides what of the line may be kept, by the rule it keeps chat text by.
        switch loop.history {
        case .nothing: break
        case .append(let kept): file.append(kept)
        case .deleteAll:
          file.delete()
          // Nor may the arrow keys bring back what the person had deleted.
          clear_history()
          history = SessionHistory()
        }
        switch outcome {
        case .reply(let text):
          // A Ctrl-C during the answer cannot stop the engine; it only left ^C on the screen,
          // which the answer should not continue.
          if policychat_take_interrupt() != 0 { print() }
          emit(text)
        case .quit: return
        case nil: continue
        }
      }
    }
  }

  private func emit(_ text: String) {
    print(text + "\n")
    fflush(nil)  // nil flushes every stream, and needs no global
  }
}

/// The session's lines for the arrow keys, in memory. Only with `session_logging` consent
/// are they also written to a file (``HistoryFile``), redacted.
private struct SessionHistory {
  private var last: String?

  mutating func remember(_ line: String) {
    guard !line.trimmingCharacters(in: .whitespaces).isEmpty, line != last else { return }
    add_history(line)
    last = line
  }
}

/// The names readline completes. Its completion callbacks are C function pointers that
/// cannot capture Swift context, hence a global. Safe without a lock: it is written once,
/// before the first line is read, and only read afterwards, on the one thread that runs
/// readline.
nonisolated(unsafe) private var slashCommandNames: [String] = []

/// Completes the first word of a line when it starts with a slash, and never anything else:
/// readline's default would complete file names.
private func completeSlashCommand(
  _ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32
) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
  policychat_disable_default_completion()
  guard let text, text.pointee == CChar(UInt8(ascii: "/")), policychat_is_first_word(start) != 0 else { return nil }
  return rl_completion_matches(text, slashCommandMatch)
}

/// readline asks for match number `state` until it gets NULL, and frees what it gets.
private func slashCommandMatch(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
  guard let text else { return nil }
  let prefix = String(cString: text)
  let matches = slashCommandNames.filter { $0.hasPrefix(prefix) }
  guard state >= 0, Int(state) < matches.count else { return nil }
  return strdup(matches[Int(state)])
}
