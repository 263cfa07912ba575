/// What `policychat import` found, and what a person must still check before the home goes
/// out: the sections, the topics given with the reason for each, and what is missing.
struct ImportReport {
  let policy: ImportedPolicy
  let format: PolicyFormat
  let organisation: String
  let contact: String?
  let lastUpdated: String?
  let options: PolicyImporter.Options
  let notes: [String]

  var text: String {
    var lines: [String] = []
    let top = policy.parts.filter { !$0.id.contains(".") }.count
    let how = policy.fromHeadings ? "from its headings" : "one per paragraph (it has no headings)"
    lines.append(
      "Read \(format.rawValue): \(top) sections and \(policy.parts.count - top) sub-sections, \(how).")
    lines.append("Organisation: \(organisation)" + (options.organisation == nil ? " (from the title)" : ""))
    lines.append(
      "Contact: " + (contact.map { $0 + (options.contact == nil ? " (from the text)" : "") } ?? "none found"))
    lines.append(
      "Last updated: "
        + (lastUpdated.map { $0 + (options.lastUpdated == nil ? " (from the text)" : "") } ?? "none found"))
    lines.append("")
    lines.append("Sections:")
    for part in policy.parts {
      let indent = part.id.contains(".") ? "    " : "  "
      let topics = part.topics.map { topic in "\(topic) (\(part.evidence[topic] ?? ""))" }
      lines.append(
        indent + part.id + ": " + part.title + (topics.isEmpty ? "" : " [" + topics.joined(separator: "; ") + "]"))
    }
    let covered = Set(policy.parts.flatMap(\.topics))
    let missing = Topic.all.filter { !covered.contains($0.id) }
    lines.append("")
    lines.append("Topics no section carries (answered \"the policy does not say\"):")
    lines.append("  " + (missing.isEmpty ? "none" : missing.map(\.id).joined(separator: ", ")))
    var checks: [String] = []
    if contact == nil {
      checks.append("No contact address found: set contact in knowledge/policy.yaml (or --contact).")
    }
    if lastUpdated == nil {
      checks.append("No date found: set lastUpdated in knowledge/policy.yaml (or --date).")
    }
    if !covered.contains("rights") && !covered.contains(where: { $0.hasPrefix("right.") }) {
      checks.append("No section about people's rights was found.")
    }
    let omitted = Topic.rightsTheLawGives.filter { !covered.contains($0) }
    if !omitted.isEmpty {
      checks.append(
        "Rights the law gives that the policy does not mention (requests for them are still taken): "
          + omitted.joined(separator: ", ") + ".")
    }
    checks.append("Topics are given by words: check each section's topics: line in knowledge/sections/.")
    checks += notes
    lines.append("")
    lines.append("To check:")
    lines += checks.map { "  - " + $0 }
    return lines.joined(separator: "\n")
  }
}
