import ArgumentParser
import Foundation
import PolicyChat
import Synchronization

/// `serve --record FILE`: both directions of the conversation as JSON lines, for replay as
/// a regression fixture: first `{"meta": {"seed", "now"}}`, then `{"in": message}` and
/// `{"out": message}` (a line that is not JSON as `{"in_raw": text}`, one that is not
/// UTF-8 as `{"in_base64": bytes}`) and
/// `{"skipped": {"reason": "line_too_long", "limit": N}}` for a line too long to read.
final class WireRecorder: Sendable {
  private let handle: Mutex<FileHandle>
  /// The engine's seed and fixed clock while recording.
  let seed = UInt64.random(in: 0...UInt64(Int.max))
  let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))

  init(path: String) throws {
    guard FileManager.default.createFile(atPath: path, contents: nil),
      let handle = FileHandle(forWritingAtPath: path)
    else {
      StandardError.write("policychat: cannot write the recording file \(path)")
      throw ExitCode(1)
    }
    self.handle = Mutex(handle)
    let time = UTCDate.iso8601(now)
    write("{\"meta\":{\"now\":\"\(time)\",\"seed\":\(seed)}}\n")
  }

  func recordSkippedLine(limit: Int) {
    write("{\"skipped\":{\"limit\":\(limit),\"reason\":\"line_too_long\"}}\n")
  }

  func record(incoming line: [UInt8]) {
    guard let text = String(validating: line, as: UTF8.self) else {
      // Not even UTF-8: the bytes themselves, so that replay sends exactly them.
      write("{\"in_base64\":\"\(Data(line).base64EncodedString())\"}\n")
      return
    }
    if Self.isJSON(text) {
      write("{\"in\":\(text)}\n")
    } else {
      // Not JSON: kept as a string under its own key, so that replay sends it back as it
      // came and does not confuse it with a JSON string.
      write("{\"in_raw\":\(Self.quoted(text))}\n")
    }
  }

  func record(outgoing line: String) {
    write("{\"out\":\(line)}\n")
  }

  private static func isJSON(_ text: String) -> Bool {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil
  }

  private static func quoted(_ text: String) -> String {
    (try? JSONEncoder().encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
  }

  private func write(_ line: String) {
    handle.withLock { $0.write(Data(line.utf8)) }
  }
}
