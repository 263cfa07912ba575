import Foundation

/// The facts of `knowledge/policy.yaml` as far as the policy's text gives them: whose it is,
/// the address to write to, and the date it was last updated.
struct PolicyFacts {
  var organisation: String?
  var contact: String?
  /// ISO 8601, e.g. `2013-10-08`.
  var lastUpdated: String?

  init(policy: ImportedPolicy) {
    let texts = [policy.documentTitle].compactMap { $0 } + policy.parts.flatMap { [$0.title, $0.body] }
    let all = texts.joined(separator: "\n")
    contact = Self.firstEmail(in: all)
    lastUpdated = Self.date(in: all)
    organisation =
      policy.documentTitle.flatMap(Self.organisation(inTitle:))
      ?? Self.organisation(inTitle: policy.parts.first?.title ?? "")
  }

  /// "Acme Privacy Policy" → "Acme"; "Privacy Policy of Acme Ltd" → "Acme Ltd".
  static func organisation(inTitle title: String) -> String? {
    guard let range = title.range(of: "privacy", options: .caseInsensitive) else { return nil }
    let before = title[..<range.lowerBound].trimmingCharacters(in: .whitespaces.union(.punctuationCharacters))
    if !before.isEmpty, before.count <= 60 {
      return before.replacingOccurrences(of: "’s", with: "").replacingOccurrences(of: "'s", with: "")
    }
    if let of = title.range(of: " of ", options: .caseInsensitive, range: range.upperBound..<title.endIndex) {
      let after = title[of.upperBound...].trimmingCharacters(in: .whitespaces.union(.punctuationCharacters))
      if !after.isEmpty, after.count <= 60 { return after }
    }
    return nil
  }

  static func firstEmail(in text: String) -> String? {
    let pattern = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/
    return text.firstMatch(of: pattern).map { String($0.output.0) }
  }

  private static let months = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
  ]

  /// The date after "last updated" (or "updated", "revised", "last modified"), else after
  /// "effective": "Effective July 20, 2012 (last updated October 08, 2013)" gives the
  /// update. The first such phrase in the text counts.
  static func date(in text: String) -> String? {
    let lower = text.lowercased()
    for markers in [["last updated", "last modified", "last revised", "updated", "revised"], ["effective"]] {
      var best: (String.Index, String)?
      for marker in markers {
        var from = lower.startIndex
        while let range = lower.range(of: marker, range: from..<lower.endIndex) {
          from = range.upperBound
          guard let date = isoDate(in: String(lower[range.upperBound...].prefix(40))) else { continue }
          if range.lowerBound < best?.0 ?? lower.endIndex { best = (range.lowerBound, date) }
          break
        }
      }
      if let best { return best.1 }
    }
    return nil
  }

  /// The first date in `text`: `2013-10-08`, `October 8, 2013`, `8 October 2013`.
  static func isoDate(in text: String) -> String? {
    if let match = text.firstMatch(of: /(\d{4})-(\d{2})-(\d{2})/) {
      return "\(match.output.1)-\(match.output.2)-\(match.output.3)"
    }
    func iso(_ year: Substring, _ month: Int, _ day: Substring) -> String? {
      guard let day = Int(day), (1...31).contains(day), let year = Int(year), (1900...2100).contains(year) else {
        return nil
      }
      return String(format: "%04d-%02d-%02d", year, month, day)
    }
    if let match = text.firstMatch(of: /([a-z]+)\.? (\d{1,2})(st|nd|rd|th)?,? (\d{4})/),
      let month = months.firstIndex(where: { $0.hasPrefix(String(match.output.1)) && match.output.1.count >= 3 })
    {
      return iso(match.output.4, month + 1, match.output.2)
    }
    if let match = text.firstMatch(of: /(\d{1,2})(st|nd|rd|th)? ([a-z]+),? (\d{4})/),
      let month = months.firstIndex(where: { $0.hasPrefix(String(match.output.3)) && match.output.3.count >= 3 })
    {
      return iso(match.output.4, month + 1, match.output.1)
    }
    return nil
  }
}
