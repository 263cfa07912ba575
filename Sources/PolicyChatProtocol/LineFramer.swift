/// Splits a byte stream into lines at `\n`, holding at most `maxLineBytes` of any line.
///
/// A longer line is reported once as ``Event/tooLong`` and its remaining bytes are dropped
/// as they arrive, up to the next newline, so that a runaway client cannot make the server
/// buffer an unbounded line.
public struct LineFramer: Sendable {
  public enum Event: Sendable, Equatable {
    case line([UInt8])
    case tooLong
  }

  public let maxLineBytes: Int
  private var pending: [UInt8] = []
  private var discarding = false

  public init(maxLineBytes: Int) {
    self.maxLineBytes = maxLineBytes
  }

  /// Feeds bytes as read; returns the events they complete, in order.
  public mutating func push(_ bytes: some Sequence<UInt8>) -> [Event] {
    var events: [Event] = []
    for byte in bytes {
      if byte == UInt8(ascii: "\n") {
        if discarding {
          discarding = false
        } else {
          events.append(.line(stripCarriageReturn(pending)))
        }
        pending.removeAll(keepingCapacity: pending.count <= 65_536)
      } else if !discarding {
        if pending.count == maxLineBytes {
          events.append(.tooLong)
          discarding = true
          pending.removeAll()
        } else {
          pending.append(byte)
        }
      }
    }
    return events
  }

  /// At the end of the input: a last line without its newline still counts.
  public mutating func finish() -> [Event] {
    defer {
      pending.removeAll()
      discarding = false
    }
    guard !discarding, !pending.isEmpty else { return [] }
    return [.line(stripCarriageReturn(pending))]
  }

  /// Clients on Windows may end lines with CRLF.
  private func stripCarriageReturn(_ line: [UInt8]) -> [UInt8] {
    line.last == UInt8(ascii: "\r") ? Array(line.dropLast()) : line
  }
}
