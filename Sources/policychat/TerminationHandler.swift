import Dispatch
import Foundation

/// On SIGTERM: let the line being written finish, close the sessions, exit 0.
final class TerminationHandler {
  private let cleanUp: @Sendable () -> Void
  private let source: any DispatchSourceSignal

  init(cleanUp: @escaping @Sendable () -> Void) {
    self.cleanUp = cleanUp
    // The signal is taken by the dispatch source instead of its default action (death).
    signal(SIGTERM, SIG_IGN)
    source = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
  }

  func install(guardedBy writer: LineWriter) {
    let cleanUp = self.cleanUp
    source.setEventHandler {
      writer.whenIdle(patience: .seconds(2)) {
        cleanUp()
        exit(0)
      }
    }
    source.resume()
  }
}
