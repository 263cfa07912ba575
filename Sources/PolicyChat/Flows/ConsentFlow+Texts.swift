import Foundation

/// What the consent flow says about purposes: the list of choices and their wording.
extension ConsentFlow {
  /// Each purpose, whether it is on, and the phrase that changes it.
  static func list(_ state: SessionState, context: FlowContext) -> String {
    let now = context.now
    var lines = ["Your choices (nothing is on unless you turned it on):"]
    for purpose in context.consentCatalog.purposes {
      guard purpose.needsConsent else {
        lines.append(
          "- \(purpose.title): always on, no consent needed: \(purpose.description). Legal basis: \(purpose.legalBasis)."
        )
        continue
      }
      if state.consentValid(purpose.id, at: now), let until = state.consents[purpose.id]?.expiresAt {
        lines.append("- \(purpose.title): on until \(UTCDate.day(until)). Say \"\(purpose.off)\" to turn it off.")
      } else if let signal = state.signalRefusals[purpose.id] {
        lines.append("- \(purpose.title): off (your browser's \(signal) signal refuses it).")
      } else if state.childPrivacy {
        lines.append("- \(purpose.title): off (a child's conversation stays private).")
      } else {
        lines.append("- \(purpose.title): off. Say \"\(purpose.on)\" to turn it on: \(purpose.description).")
      }
    }
    return lines.joined(separator: "\n")
  }

  static func choices(_ catalog: ConsentCatalog) -> String {
    catalog.purposes.filter(\.needsConsent).enumerated().map { index, purpose in
      "\(index + 1). \(purpose.title): \(purpose.description)"
    }.joined(separator: "\n") + "\nReply with a number or a name."
  }

  static func purposeValues(_ purpose: ConsentCatalog.Purpose, state: SessionState) -> [String: String] {
    // {title} inside a sentence, {Title} at its start.
    var values = [
      "title": purpose.title.lowercased(), "Title": purpose.title, "description": purpose.description,
      "turnOn": purpose.on, "turnOff": purpose.off,
    ]
    if let until = state.consents[purpose.id]?.expiresAt { values["until"] = UTCDate.day(until) }
    return values
  }
}
