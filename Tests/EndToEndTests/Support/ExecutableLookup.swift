import Foundation

/// The program `name` as the shell would find it in PATH; throws a message that says what
/// the program is needed for when it is not installed.
func locateExecutable(_ name: String, purpose: String) throws -> URL {
  let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
  for folder in path.split(separator: ":") {
    let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
    if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
  }
  throw EndToEndFailure("\(name) is not installed (not found in PATH), and this test needs it: \(purpose).")
}
