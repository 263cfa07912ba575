import Foundation

/// The terminal's history file. What goes in, and when it is deleted, is the engine's to
/// say (``HistoryUpdate``): lines only while the person's `session_logging` consent is in
/// force, redacted, never a one-time code. Without that consent, history stays in memory
/// for the session and is never written.
struct HistoryFile {
  let path: String

  /// `$POLICYCHAT_HISTORY`, else `$XDG_STATE_HOME/policychat/history` (by default
  /// `~/.local/state/policychat/history`).
  init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    if let path = environment["POLICYCHAT_HISTORY"], !path.isEmpty {
      self.path = path
    } else {
      let state =
        environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
        ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
      path = state + "/policychat/history"
    }
  }

  /// The lines kept so far, oldest first.
  func lines() -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
  }

  /// Appends a line the engine released (redacted, one line); a line that cannot be
  /// written is simply not kept.
  func append(_ line: String) {
    let text = line + "\n"
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    if !FileManager.default.fileExists(atPath: path) {
      // Readable by its owner only: it is a record of what someone typed.
      _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
    }
    guard let handle = FileHandle(forWritingAtPath: path) else { return }
    defer { try? handle.close() }
    _ = try? handle.seekToEnd()
    try? handle.write(contentsOf: Data(text.utf8))
  }

  /// Overwrites the lines with zeros before the file is removed: removing only unlinks it,
  /// and its blocks would keep the text until the file system reused them.
  func delete() {
    if let handle = FileHandle(forWritingAtPath: path) {
      if let size = try? handle.seekToEnd(), size > 0 {
        try? handle.seek(toOffset: 0)
        try? handle.write(contentsOf: Data(count: Int(size)))
        try? handle.synchronize()
      }
      try? handle.close()
    }
    try? FileManager.default.removeItem(atPath: path)
  }
}
