import Foundation

/// The built `policychat` executable. The test target cannot depend on an executable, so the
/// tests run whatever `swift build` left in the package's build folder.
enum PolicyChatBinary {
  /// The package folder, which also holds knowledge/ and intents/ for `--home`.
  static let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Support
    .deletingLastPathComponent()  // EndToEndTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

  /// `$POLICYCHAT_BIN` when set, else `.build/debug/policychat`.
  static func url() throws -> URL {
    let fileManager = FileManager.default
    if let path = ProcessInfo.processInfo.environment["POLICYCHAT_BIN"], !path.isEmpty {
      guard fileManager.isExecutableFile(atPath: path) else {
        throw EndToEndFailure("POLICYCHAT_BIN is set to \(path), which is not an executable file.")
      }
      return URL(fileURLWithPath: path)
    }
    let built = repositoryRoot.appendingPathComponent(".build/debug/policychat")
    guard fileManager.isExecutableFile(atPath: built.path) else {
      throw EndToEndFailure(
        "The policychat binary is missing at \(built.path): run `swift build` before the end-to-end tests, "
          + "or set POLICYCHAT_BIN to the binary to test.")
    }
    return built
  }

  /// Arguments that keep a run away from the user's own data.
  static var chatArguments: [String] {
    ["--db", ":memory:", "--home", repositoryRoot.path]
  }
}
