/// Fills `{placeholders}` in the reply texts of intent files.
///
/// Known names: `{organisation}`, `{contact}`, `{version}`, `{lastUpdated}` (from
/// `knowledge/policy.yaml`), `{topics}` (the policy's main sections), `{suggestions}`
/// (the closest topics to the message), `{choices}` (a numbered list, for clarification)
/// and `{commands}` (the slash commands).
struct ReplyTemplate {
  var values: [String: String]

  func render(_ template: String) -> String {
    var output = ""
    var rest = Substring(template)
    while let open = rest.firstIndex(of: "{") {
      output += rest[..<open]
      guard let close = rest[open...].firstIndex(of: "}") else { break }
      let name = String(rest[rest.index(after: open)..<close])
      if let value = values[name] {
        output += value
      } else {
        output += rest[open...close]
      }
      rest = rest[rest.index(after: close)...]
    }
    return (output + rest).trimmingWhitespace
  }
}
