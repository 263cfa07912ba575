/// A text with its personal data replaced by placeholders, and what was replaced.
public struct Redaction: Sendable, Equatable {
  /// The text with each finding replaced by its kind's placeholder (``PersonalDataKind/placeholder``).
  public var text: String
  /// What was replaced, in the order it appeared; ranges refer to the original text.
  public var findings: [Finding]

  /// A redaction with the given text and findings.
  public init(text: String, findings: [Finding]) {
    self.text = text
    self.findings = findings
  }
}
