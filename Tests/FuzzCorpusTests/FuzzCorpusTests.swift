import Foundation
import PolicyChatFuzzing
import Testing

/// Every seed of fuzz/corpus/ and every crash kept in fuzz/regressions/, run through the
/// same code as the fuzzers, without one: a regression fails `swift test`.
@Suite struct FuzzCorpusTests {
  static let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("fuzz")

  /// The files of one target's folder, sorted so that a failure names the same file each time.
  static func inputs(_ folder: String, _ target: FuzzTarget) -> [URL] {
    let directory = fuzz.appendingPathComponent(folder).appendingPathComponent(target.rawValue)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0) }
  }

  @Test("every target has a seed corpus", arguments: FuzzTarget.allCases)
  func corpusExists(target: FuzzTarget) {
    #expect(!Self.inputs("corpus", target).isEmpty, "fuzz/corpus/\(target.rawValue)/ is empty")
  }

  /// A target traps on a broken invariant, so the inputs run in a child process: a trap
  /// fails this test, naming the file, instead of ending the whole test run.
  @Test("seeds and regressions run cleanly", arguments: FuzzTarget.allCases)
  func inputsRun(target: FuzzTarget) async throws {
    // The child writes the path of the input it is on here; after a trap it names the culprit.
    let progress = FileManager.default.temporaryDirectory
      .appendingPathComponent("fuzz-corpus-\(target.rawValue)-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: progress) }
    // An exit test captures only Codable values, each with its type spelled out, so the
    // target travels as its name.
    let result = await #expect(processExitsWith: .success) {
      [name = target.rawValue as String, progress = progress as String] in
      guard let target = FuzzTarget(rawValue: name) else { return }
      for file in FuzzCorpusTests.inputs("corpus", target) + FuzzCorpusTests.inputs("regressions", target) {
        try Data(file.path.utf8).write(to: URL(fileURLWithPath: progress))
        target.run(Array(try Data(contentsOf: file)))
      }
    }
    if result == nil {
      let culprit = (try? String(contentsOfFile: progress, encoding: .utf8)) ?? "(none yet)"
      Issue.record(
        "\(target.rawValue) trapped on \(culprit); run it under the fuzzer binary for the message and stack")
    }
  }
}
