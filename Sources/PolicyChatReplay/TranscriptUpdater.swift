import Foundation

/// Rewrites failing expectations in a transcript's text from the actual output, touching
/// only their lines, so that `git diff` shows just what changed.
enum TranscriptUpdater {
  static func apply(_ updates: [ReplayResult.Update], to text: String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // From the bottom up, so that earlier line numbers stay valid.
    for update in updates.sorted(by: { $0.line > $1.line }) {
      let index = update.line - 1
      guard lines.indices.contains(index), let range = lines[index].range(of: update.key + ":") else { continue }
      let prefix = String(lines[index][..<range.lowerBound])
      let indent = prefix.count
      var end = index + 1
      // The value runs on while lines are indented deeper than the key (or blank).
      while end < lines.count {
        let line = lines[end]
        let depth = line.prefix { $0 == " " }.count
        if line.trimmingCharacters(in: .whitespaces).isEmpty || depth > indent {
          end += 1
        } else {
          break
        }
      }
      // Blank lines after the value belong to the file's layout, not to the value.
      while end > index + 1, lines[end - 1].trimmingCharacters(in: .whitespaces).isEmpty { end -= 1 }
      let replacement = YAMLRendering.entry(update.key, update.value, prefix: prefix, indent: indent)
      lines.replaceSubrange(index..<end, with: replacement)
    }
    return lines.joined(separator: "\n")
  }
}
