/// The fuzz targets: each feeds one input, as bytes, to one reader of untrusted text.
///
/// The libFuzzer executables in `fuzz/` and the corpus tests both call ``run(_:)``, so an
/// input that once crashed a fuzzer is checked by `swift test` without one. A target traps
/// (through `preconditionFailure`) when an invariant breaks; anything thrown is an expected
/// refusal of bad input.
public enum FuzzTarget: String, CaseIterable, Sendable {
  /// One or more JSON-RPC lines, framed by `LineFramer` and answered by a real `ProtocolServer`.
  case protocolLine = "protocol-line"
  /// A replay transcript (YAML), read by `TranscriptParser`.
  case transcript
  /// An answer to "what is your date of birth?", read by `DeclaredAge.parse(_:now:)`.
  case dateOfBirth = "date-of-birth"
  /// A chat message, redacted by `Redactor`.
  case redactor
  /// An intent file (YAML) from `intents/`, read and compiled as start-up does.
  case intentFile = "intent-file"
  /// A knowledge section file (front matter and Markdown) from `knowledge/sections/`.
  case knowledgeSection = "knowledge-section"

  /// Runs one input through the target.
  public func run(_ bytes: UnsafeRawBufferPointer) {
    switch self {
    case .protocolLine: ProtocolLineTarget.run(bytes)
    case .transcript: ParserTargets.transcript(String(fuzzInput: bytes))
    case .dateOfBirth: DateOfBirthTarget.run(String(fuzzInput: bytes))
    case .redactor: RedactorTarget.run(String(fuzzInput: bytes))
    case .intentFile: ParserTargets.intentFile(String(fuzzInput: bytes))
    case .knowledgeSection: ParserTargets.knowledgeSection(String(fuzzInput: bytes))
    }
  }

  /// Runs one input held in an array, as the corpus tests do.
  public func run(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { run($0) }
  }
}

extension String {
  /// The input as text. Files and messages arrive as UTF-8; invalid sequences are repaired
  /// rather than refused, so that every input reaches the parser.
  init(fuzzInput bytes: UnsafeRawBufferPointer) {
    self.init(decoding: bytes, as: UTF8.self)
  }
}

/// Traps with `message` when `condition` is false. Unlike `precondition`, whose message an
/// optimised build drops, this prints what broke, which is most of a fuzzer's report.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError(message()) }
}
