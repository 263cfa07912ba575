import PolicyChatProtocol

/// How one transcript replayed.
public struct ReplayResult: Sendable {
  public var file: String
  public var name: String
  public var failures: [Failure]
  /// Turns and calls replayed.
  public var turns: Int
  public var seconds: Double
  /// Expectations rewritten from the actual output (with `--update`).
  public var updates: [Update] = []

  public var passed: Bool { failures.isEmpty }

  /// One expectation that did not hold.
  public struct Failure: Sendable {
    public var line: Int?
    public var step: String
    public var key: String
    /// What went wrong, with a diff where there is text to compare.
    public var detail: String
  }

  /// An expectation to rewrite: the key at `line` gets `value`.
  public struct Update: Sendable {
    public var line: Int
    public var key: String
    public var value: UpdateValue
  }

  public enum UpdateValue: Sendable {
    case text(String)
    case texts([String])
    case json(JSONValue)
  }
}
