import Foundation
import PolicyChatReplay

/// Transcripts a test writes into a fresh temporary folder and replays over the
/// repository's own data. The replay suites conform to it rather than each keeping its
/// own copy of these helpers.
protocol ScratchTranscripts {}

extension ScratchTranscripts {
  func folder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-replay-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// Writes `text` as `name` in `folder`; the file's path.
  func write(_ text: String, _ name: String, in folder: URL) throws -> String {
    let path = folder.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  func replay(_ files: [String], update: Bool = false) -> Replay.Outcome {
    Replay(options: .init(home: ReplayTests.root, update: update)).run(files: files)
  }

  /// One transcript, written as `name` in a folder of its own that is removed afterwards.
  func replay(_ text: String, as name: String) throws -> Replay.Outcome {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    return replay([try write(text, name, in: folder)])
  }
}
