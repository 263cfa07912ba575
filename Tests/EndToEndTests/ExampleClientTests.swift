import Foundation
import Testing

/// The front-end examples in examples/, run as a developer would run them.
@Suite("Example clients")
struct ExampleClientTests {
  static let answer = "does not sell"

  @Test("The Python example (standard library only) prints the answer to its question")
  func pythonExample() async throws {
    let python = try locateExecutable("python3", purpose: "it runs examples/python/client.py")
    let run = try await ExampleRun.start(python, script: "examples/python/client.py")
    #expect(run.termination == .exit(0), "stderr: \(run.errorOutput)")
    #expect(run.output.contains(Self.answer), "stdout:\n\(run.output)\nstderr: \(run.errorOutput)")
  }

  @Test("The Node example (no packages) prints the answer to its question")
  func nodeExample() async throws {
    let node = try locateExecutable("node", purpose: "it runs examples/node/client.js")
    let run = try await ExampleRun.start(node, script: "examples/node/client.js")
    #expect(run.termination == .exit(0), "stderr: \(run.errorOutput)")
    #expect(run.output.contains(Self.answer), "stdout:\n\(run.output)\nstderr: \(run.errorOutput)")
  }

  /// The interpreter of a virtualenv with jsonrpcclient installed, which .ci/run provides.
  static let jsonrpcclientPython = ProcessInfo.processInfo.environment["POLICYCHAT_PYTHON"].flatMap {
    $0.isEmpty ? nil : $0
  }
  static let isCI = ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false

  @Test(
    "An off-the-shelf JSON-RPC client (jsonrpcclient) builds and parses a whole conversation",
    .enabled(if: jsonrpcclientPython != nil || isCI, "needs POLICYCHAT_PYTHON: a Python with jsonrpcclient"))
  func jsonrpcclientExample() async throws {
    guard let path = Self.jsonrpcclientPython else {
      throw EndToEndFailure(
        "CI is set but POLICYCHAT_PYTHON is not: .ci/run must install jsonrpcclient into a virtualenv and set "
          + "POLICYCHAT_PYTHON to its python.")
    }
    guard FileManager.default.isExecutableFile(atPath: path) else {
      throw EndToEndFailure("POLICYCHAT_PYTHON is set to \(path), which is not an executable file.")
    }
    let run = try await ExampleRun.start(
      URL(fileURLWithPath: path), script: "examples/python/jsonrpcclient_example.py")
    #expect(run.termination == .exit(0), "stderr: \(run.errorOutput)")
    #expect(run.output.contains(Self.answer), "stdout:\n\(run.output)\nstderr: \(run.errorOutput)")
    #expect(run.output.contains("after close: Error -32001 unknown_session"), "stdout:\n\(run.output)")
  }
}

/// One run of an example script against the built binary, on an in-memory database.
private struct ExampleRun {
  let output: String
  let errorOutput: String
  let termination: Termination

  static func start(_ interpreter: URL, script: String) async throws -> ExampleRun {
    let binary = try PolicyChatBinary.url()
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("policychat-example-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("stdout")
    let errorOutput = folder.appendingPathComponent("stderr")
    let environment = ProcessInfo.processInfo.environment.merging([
      "POLICYCHAT_DB": ":memory:", "POLICYCHAT_HOME": PolicyChatBinary.repositoryRoot.path,
    ]) { $1 }
    let child = try ChildProcess.spawn(
      interpreter, arguments: [PolicyChatBinary.repositoryRoot.appendingPathComponent(script).path, binary.path],
      environment: environment, output: output, errorOutput: errorOutput)
    let termination = try await child.wait(timeout: .seconds(60))
    return ExampleRun(
      output: String(decoding: try Data(contentsOf: output), as: UTF8.self),
      errorOutput: String(decoding: try Data(contentsOf: errorOutput), as: UTF8.self),
      termination: termination)
  }
}
