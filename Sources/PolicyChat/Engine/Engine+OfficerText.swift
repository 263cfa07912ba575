import Foundation

extension Engine {
  /// The officer's free text as it will be stored: redacted, like everything else the
  /// engine keeps. A text that was little but personal data (fewer than two words left
  /// around the placeholders) says nothing to the person or to an auditor, and is refused.
  public func officerText(_ text: String, field: String) throws(EngineError) -> OfficerText {
    let redaction = redactor.redact(text)
    let kinds = redaction.findings.map(\.kind)
    if !kinds.isEmpty {
      var words = redaction.text
      for kind in PersonalDataKind.allCases { words = words.replacingOccurrences(of: kind.placeholder, with: " ") }
      let left = words.split { !$0.isLetter }.filter { $0.count > 1 }
      guard left.count >= 2 else {
        throw .invalidInput(
          field: field, reason: "words that say why, without personal data (it held little else, and is not stored)")
      }
    }
    return OfficerText(field: field, text: redaction.text, redacted: kinds)
  }
}
