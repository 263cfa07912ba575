import Foundation
import Synchronization

/// Writes protocol lines to a descriptor, whole or not at all as far as other writers
/// (the SIGTERM handler) are concerned.
final class LineWriter: Sendable {
  private let descriptor: Int32
  private let recorder: WireRecorder?
  private let lock = Mutex(())

  init(descriptor: Int32, recorder: WireRecorder?) {
    self.descriptor = descriptor
    self.recorder = recorder
    // A front end that closes its end must not kill the server with SIGPIPE: the write
    // fails with EPIPE instead, and the server finishes quietly.
    signal(SIGPIPE, SIG_IGN)
  }

  /// Writes the line and a newline; false when the reader has gone.
  func write(_ line: String) -> Bool {
    write(lines: [line])
  }

  /// Writes the lines, each with a newline, in one write where the pipe takes them; false
  /// when the reader has gone. Responses that are ready together cost one system call.
  func write(lines: [String]) -> Bool {
    lock.withLock { _ in
      var bytes: [UInt8] = []
      bytes.reserveCapacity(lines.reduce(0) { $0 + $1.utf8.count + 1 })
      for line in lines {
        recorder?.record(outgoing: line)
        bytes += line.utf8
        bytes.append(UInt8(ascii: "\n"))
      }
      var offset = 0
      while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        if written < 0 {
          if errno == EINTR { continue }
          return false
        }
        offset += written
      }
      return true
    }
  }

  /// Runs `body` while no line is being written.
  func withLock(_ body: () -> Void) {
    lock.withLock { _ in body() }
  }

  /// Runs `body` once no line is being written, or after `patience` anyway: a front end
  /// that stops reading can leave a write blocked for ever, and must not stop a shutdown.
  func whenIdle(patience: Duration, _ body: () -> Void) {
    let deadline = ContinuousClock.now + patience
    while ContinuousClock.now < deadline {
      if lock.withLockIfAvailable({ _ in body() }) != nil { return }
      usleep(10_000)
    }
    body()
  }
}
