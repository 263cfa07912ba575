import ArgumentParser
import Foundation
import Synchronization

/// `serve --record FILE`: both directions of the conversation as JSON lines,
/// `{"in": message}` and `{"out": message}`, for replay as a regression fixture. A line that
/// is not JSON is recorded as a string.
final class WireRecorder: Sendable {
  private let handle: Mutex<FileHandle>

  init(path: String) throws {
    guard FileManager.default.createFile(atPath: path, contents: nil),
      let handle = FileHandle(forWritingAtPath: path)
    else {
      StandardError.write("policychat: cannot write the recording file \(path)")
      throw ExitCode(1)
    }
    self.handle = Mutex(handle)
  }

  func record(incoming line: [UInt8]) {
    append(tag: "in", message: String(decoding: line, as: UTF8.self))
  }

  func record(outgoing line: String) {
    append(tag: "out", message: line)
  }

  private func append(tag: String, message: String) {
    let isJSON = (try? JSONSerialization.jsonObject(with: Data(message.utf8), options: [.fragmentsAllowed])) != nil
    let payload: String
    if isJSON {
      payload = message
    } else {
      let quoted = (try? JSONEncoder().encode(message)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
      payload = quoted
    }
    let line = "{\"\(tag)\":\(payload)}\n"
    handle.withLock { $0.write(Data(line.utf8)) }
  }
}
