import Foundation

/// The chat for scripts: plain lines in, each answer and a blank line out, flushed at once.
struct LineChat {
  let loop: ChatLoop

  func run() throws {
    emit(try loop.open())
    defer { loop.close() }
    while let line = readLine(strippingNewline: true) {
      switch try loop.handle(line) {
      case .reply(let text): emit(text)
      case .quit: return
      case nil: continue
      }
    }
  }

  private func emit(_ text: String) {
    print(text + "\n")
    fflush(nil)  // nil flushes every stream, and needs no global
  }
}
