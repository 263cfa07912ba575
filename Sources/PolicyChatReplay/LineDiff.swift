/// A unified diff of two texts, line by line, for showing what changed in an answer.
enum LineDiff {
  static func unified(expected: String, actual: String, context: Int = 2) -> String {
    let old = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let new = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // Longest common subsequence table; answers are short, so the quadratic cost is small.
    var table = [[Int]](repeating: [Int](repeating: 0, count: new.count + 1), count: old.count + 1)
    for i in stride(from: old.count - 1, through: 0, by: -1) {
      for j in stride(from: new.count - 1, through: 0, by: -1) {
        table[i][j] = old[i] == new[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
      }
    }
    enum Edit {
      case same(String)
      case removed(String)
      case added(String)
    }
    var edits: [Edit] = []
    var (i, j) = (0, 0)
    while i < old.count || j < new.count {
      if i < old.count, j < new.count, old[i] == new[j] {
        edits.append(.same(old[i]))
        (i, j) = (i + 1, j + 1)
      } else if j < new.count, i == old.count || table[i][j + 1] >= table[i + 1][j] {
        edits.append(.added(new[j]))
        j += 1
      } else {
        edits.append(.removed(old[i]))
        i += 1
      }
    }
    // Keep the changed lines and `context` unchanged lines around them.
    let changed = edits.indices.filter { if case .same = edits[$0] { false } else { true } }
    var lines = ["--- expected", "+++ actual"]
    var lastShown = -1
    for index in edits.indices
    where changed.contains(where: { abs($0 - index) <= context }) {
      if lastShown >= 0 && index > lastShown + 1 { lines.append("@@") }
      switch edits[index] {
      case .same(let text): lines.append("  " + text)
      case .removed(let text): lines.append("- " + text)
      case .added(let text): lines.append("+ " + text)
      }
      lastShown = index
    }
    return lines.joined(separator: "\n")
  }
}
