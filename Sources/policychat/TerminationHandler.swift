import Dispatch
import Foundation

/// On SIGTERM or SIGINT: let the line being written finish, close the sessions and the
/// store (so that the database's write-ahead log is checkpointed), exit 0.
final class TerminationHandler {
  private static let signals = [SIGTERM, SIGINT]
  private let cleanUp: @Sendable () -> Void
  private let sources: [any DispatchSourceSignal]

  init(cleanUp: @escaping @Sendable () -> Void) {
    self.cleanUp = cleanUp
    // The signals are taken by dispatch sources instead of their default action (death).
    sources = Self.signals.map { number in
      signal(number, SIG_IGN)
      return DispatchSource.makeSignalSource(signal: number, queue: .global())
    }
  }

  func install(guardedBy writer: LineWriter) {
    let cleanUp = self.cleanUp
    for source in sources {
      source.setEventHandler {
        writer.whenIdle(patience: .seconds(2)) {
          cleanUp()
          exit(0)
        }
      }
      source.resume()
    }
  }
}
