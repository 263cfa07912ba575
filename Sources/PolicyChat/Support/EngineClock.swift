import Foundation
import Synchronization

/// Where the engine reads the time from.
///
/// Injected so that a transcript or test replays byte for byte: production uses
/// ``SystemClock``; tests and replays use ``ManualClock``.
public protocol EngineClock: Sendable {
  func now() -> Date
}

/// The wall clock.
public struct SystemClock: EngineClock {
  public init() {}
  public func now() -> Date { Date() }
}

/// A clock that only moves when told to.
public final class ManualClock: EngineClock {
  private let current: Mutex<Date>

  public init(_ start: Date) {
    current = Mutex(start)
  }

  public func now() -> Date {
    current.withLock { $0 }
  }

  /// Moves the clock forward, for expiries and deadlines.
  public func advance(by interval: TimeInterval) {
    current.withLock { $0 = $0.addingTimeInterval(interval) }
  }
}
