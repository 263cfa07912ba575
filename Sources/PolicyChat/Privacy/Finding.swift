/// One piece of personal data the redactor found: what kind it was and where it stood.
///
/// A finding deliberately does not carry the value: it exists so that the value can be thrown
/// away, and a log line or metric built from findings must not be able to leak it.
public struct Finding: Sendable, Equatable {
  /// What kind of personal data it was.
  public var kind: PersonalDataKind
  /// Where the value stood in the original text (the text passed to ``Redactor/redact(_:)``),
  /// not in the redacted text.
  ///
  /// The bounds are indices of that original string, always on Unicode scalar boundaries
  /// (an e-mail address may begin or end with a letter outside ASCII, "Zoë@exämple.de"), so
  /// `original[range]` is the whole value. They are meaningless for any other string.
  public var range: Range<String.Index>

  /// A finding of `kind` at `range` of the original text.
  public init(kind: PersonalDataKind, range: Range<String.Index>) {
    self.kind = kind
    self.range = range
  }
}
