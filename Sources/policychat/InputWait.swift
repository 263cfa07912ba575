import Foundation

/// A wait for input that another thread can end: the reader polls standard input together
/// with a pipe of its own, which ``wake()`` writes to.
///
/// `serve` writes its responses from its lanes, not from the thread that reads. When a
/// write finds that the front end has stopped reading, the reader may be blocked waiting
/// for input that a front end holding stdin open will never send; the lane wakes it, so
/// that the server still stops by itself.
final class InputWait: Sendable {
  private let readEnd: Int32
  private let writeEnd: Int32

  init() throws {
    var ends: [Int32] = [-1, -1]
    guard pipe(&ends) == 0 else { throw InputWaitError() }
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    (readEnd, writeEnd) = (ends[0], ends[1])
  }

  deinit {
    close(readEnd)
    close(writeEnd)
  }

  /// True once `descriptor` has input or its end to read; false once ``wake()`` was called.
  func waitForInput(on descriptor: Int32) -> Bool {
    var descriptors = [
      pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
      pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0),
    ]
    while true {
      let ready = poll(&descriptors, 2, -1)
      // Any other failure: let the read itself report it.
      if ready < 0 { if errno == EINTR { continue } else { return true } }
      if descriptors[1].revents != 0 { return false }
      if descriptors[0].revents != 0 { return true }
    }
  }

  /// Ends the current or next ``waitForInput(on:)``, and every later one.
  func wake() {
    var byte: UInt8 = 1
    _ = write(writeEnd, &byte, 1)
  }
}

struct InputWaitError: Error, CustomStringConvertible {
  var description: String { "cannot create a pipe" }
}
