import Foundation

/// `policychat import`: makes a home (knowledge/ and intents/) from another organisation's
/// policy. The sections are the policy's own; the intents, the gates' data and the consent
/// purposes are the shipped ones, copied from a template home (the repository's), with the
/// template organisation's name replaced. The same input gives the same files.
public struct PolicyImporter: Sendable {
  public struct Options: Sendable {
    public var organisation: String?
    public var contact: String?
    public var version: String = "1"
    public var lastUpdated: String?
    /// Replace knowledge/ and intents/ that are already in the output folder.
    public var force = false

    public init(organisation: String? = nil, contact: String? = nil, lastUpdated: String? = nil, force: Bool = false) {
      self.organisation = organisation
      self.contact = contact
      self.lastUpdated = lastUpdated
      self.force = force
    }
  }

  public let template: URL
  public let options: Options

  public init(template: URL, options: Options) {
    self.template = template
    self.options = options
  }

  /// Reads the file at `path` and writes the home to `output`; returns the review report.
  public func run(path: String, output: URL) throws(ImportedPolicy.Refusal) -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .init(description: "cannot read \(path)")
    }
    guard !data.contains(0), let text = String(data: data, encoding: .utf8) else {
      throw .init(description: "\(path) is not a text file (UTF-8 Markdown, HTML or plain text)")
    }
    let format = PolicyFormat.detect(path: path, text: text)
    let policy = try ImportedPolicy.read(text, format: format)
    return try write(policy, format: format, to: output)
  }

  public func write(
    _ policy: ImportedPolicy, format: PolicyFormat, to output: URL
  ) throws(ImportedPolicy.Refusal) -> String {
    let facts = PolicyFacts(policy: policy)
    guard let organisation = options.organisation ?? facts.organisation else {
      throw .init(description: "the policy does not say whose it is in its title: give --organisation NAME")
    }
    let templatePolicy: PolicyInfo
    do {
      templatePolicy = try KnowledgeBase.load(home: template).policy
    } catch {
      throw .init(description: "the template home \(template.path) cannot be read: \(error.description)")
    }
    let contact = options.contact ?? facts.contact
    let lastUpdated = options.lastUpdated ?? facts.lastUpdated
    let files = FileManager.default
    let knowledge = output.appendingPathComponent("knowledge")
    let intents = output.appendingPathComponent("intents")
    for folder in [knowledge, intents] where files.fileExists(atPath: folder.path) {
      guard options.force else {
        throw .init(description: "\(folder.path) already exists; give --force to replace it")
      }
    }
    var notes: [String] = []
    // Written beside the output first, then moved in: a failure leaves the old home whole.
    let staging = output.appendingPathComponent(".policychat-import-\(ProcessInfo.processInfo.processIdentifier)")
    do {
      try? files.removeItem(at: staging)
      try files.createDirectory(
        at: staging.appendingPathComponent("knowledge/sections"), withIntermediateDirectories: true)
      try copyIntents(
        to: staging.appendingPathComponent("intents"), organisation: organisation,
        replacing: templatePolicy.organisation, notes: &notes)
      try copyGateData(
        to: staging.appendingPathComponent("knowledge"), organisation: organisation,
        replacing: templatePolicy.organisation, notes: &notes)
      try writeSections(policy, to: staging.appendingPathComponent("knowledge/sections"))
      let info = PolicyInfo(
        organisation: organisation, contact: contact ?? "", version: options.version,
        lastUpdated: lastUpdated ?? "unknown", address: "", phone: "", website: "", policyUrl: "",
        answers: .passages)
      try write(Self.policyYAML(info), to: staging.appendingPathComponent("knowledge/policy.yaml"))
      try write(
        disclosure(info, policy: policy), to: staging.appendingPathComponent("knowledge/disclosure.yaml"))
      // The home must start before it replaces anything: loaded as the engine would.
      do {
        _ = try PolicyData.load(home: staging)
      } catch {
        try? files.removeItem(at: staging)
        throw ImportedPolicy.Refusal(description: "the home made from the policy does not load: \(error.description)")
      }
      for name in ["knowledge", "intents"] {
        let target = output.appendingPathComponent(name)
        if files.fileExists(atPath: target.path) { try files.removeItem(at: target) }
        try files.moveItem(at: staging.appendingPathComponent(name), to: target)
      }
      try files.removeItem(at: staging)
    } catch let refusal as ImportedPolicy.Refusal {
      throw refusal
    } catch {
      try? files.removeItem(at: staging)
      throw .init(description: "cannot write the home in \(output.path): \(error.localizedDescription)")
    }
    return ImportReport(
      policy: policy, format: format, organisation: organisation, contact: contact, lastUpdated: lastUpdated,
      options: options, notes: notes
    ).text
  }

  private func write(_ text: String, to url: URL) throws {
    try Data(text.utf8).write(to: url, options: .atomic)
  }

  private func writeSections(_ policy: ImportedPolicy, to folder: URL) throws {
    var number = -1
    var child = 0
    var current = folder
    for part in policy.parts {
      let isTop = !part.id.contains(".")
      if isTop {
        number += 1
        child = 0
        current = folder.appendingPathComponent(String(format: "%02d-%@", number, part.id))
        try FileManager.default.createDirectory(at: current, withIntermediateDirectories: true)
      } else {
        child += 1
      }
      let slug = part.id.split(separator: ".").last.map(String.init) ?? part.id
      let name = String(format: "%02d-%@.md", child, slug)
      var text = "---\nid: \(part.id)\ntitle: \(Self.quoted(part.title))\n"
      if !part.topics.isEmpty { text += "topics: [\(part.topics.joined(separator: ", "))]\n" }
      text += "---\n\(part.body)\n"
      try write(text, to: current.appendingPathComponent(name))
    }
  }

  /// A YAML text in double quotes: a JSON string, which YAML reads as one.
  static func quoted(_ text: String) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .withoutEscapingSlashes
    return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
  }

  static func policyYAML(_ info: PolicyInfo) -> String {
    """
    # Made by policychat import. The one place to change the policy's identity, contact,
    # version and date (docs/KNOWLEDGE.md).
    organisation: \(quoted(info.organisation))
    contact: \(quoted(info.contact))
    version: \(quoted(info.version))
    lastUpdated: \(quoted(info.lastUpdated))
    # For consent receipts: the controller's postal address, telephone and web addresses.
    address: ""
    phone: ""
    website: ""
    policyUrl: ""
    # Answers quote the best sentences of the whole policy; "sections" answers from the
    # section the intents and its aliases choose, once aliases are written (docs/KNOWLEDGE.md).
    answers: \(info.answers?.rawValue ?? "sections")

    """
  }

  /// The template's disclosure, at this policy's version, with one version in its history,
  /// and the pointer to where the policy speaks of automated decisions only if it does.
  private func disclosure(_ info: PolicyInfo, policy: ImportedPolicy) throws -> String {
    let source = try String(contentsOf: template.appendingPathComponent("knowledge/disclosure.yaml"), encoding: .utf8)
    var lines: [String] = []
    let decisions = policy.parts.first { $0.topics.contains("right.human-review") }
    for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("policyVersion:") {
        lines.append("policyVersion: \(Self.quoted(info.version))")
      } else if line.hasPrefix("versions:") {
        break
      } else if let range = line.range(
        of: #"The policy explains automated decision-making under [^.]*\. "#, options: .regularExpression)
      {
        let replacement = decisions.map { "The policy explains automated decision-making under \($0.title). " } ?? ""
        lines.append(line.replacingCharacters(in: range, with: replacement))
      } else {
        lines.append(String(line))
      }
    }
    lines.append("versions:")
    lines.append("  - version: \(Self.quoted(info.version))")
    lines.append("    date: \(Self.quoted(info.lastUpdated))")
    lines.append("    summary: \"The version imported.\"")
    lines.append("    material: false")
    return lines.joined(separator: "\n") + "\n"
  }

  private func copyIntents(
    to folder: URL, organisation: String, replacing old: String, notes: inout [String]
  ) throws {
    try copyTree(
      from: template.appendingPathComponent("intents"), to: folder, relative: "intents",
      organisation: organisation, replacing: old, notes: &notes)
  }

  /// The shipped YAML of knowledge/ (gates, consent purposes, requests, jurisdictions),
  /// not the template's policy.yaml and disclosure.yaml, which are the policy's own.
  private func copyGateData(
    to folder: URL, organisation: String, replacing old: String, notes: inout [String]
  ) throws {
    let source = template.appendingPathComponent("knowledge")
    let names = try FileManager.default.contentsOfDirectory(atPath: source.path).sorted()
    for name in names where name.hasSuffix(".yaml") && name != "policy.yaml" && name != "disclosure.yaml" {
      try copyFile(
        source.appendingPathComponent(name), to: folder.appendingPathComponent(name),
        relative: "knowledge/" + name, organisation: organisation, replacing: old, notes: &notes)
    }
  }

  private func copyTree(
    from source: URL, to target: URL, relative: String, organisation: String, replacing old: String,
    notes: inout [String]
  ) throws {
    try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
    for name in try FileManager.default.contentsOfDirectory(atPath: source.path).sorted() where !name.hasPrefix(".") {
      let item = source.appendingPathComponent(name)
      var isFolder: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: item.path, isDirectory: &isFolder)
      if isFolder.boolValue {
        try copyTree(
          from: item, to: target.appendingPathComponent(name), relative: relative + "/" + name,
          organisation: organisation, replacing: old, notes: &notes)
      } else {
        try copyFile(
          item, to: target.appendingPathComponent(name), relative: relative + "/" + name,
          organisation: organisation, replacing: old, notes: &notes)
      }
    }
  }

  /// Copies one file; the template organisation's name becomes the new one, and each line
  /// where that happened is noted for a person to check (a regulator, a source).
  private func copyFile(
    _ source: URL, to target: URL, relative: String, organisation: String, replacing old: String,
    notes: inout [String]
  ) throws {
    var text = try String(contentsOf: source, encoding: .utf8)
    if !old.isEmpty, old != organisation, text.contains(old) {
      for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
      where line.contains(old) && !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
        notes.append("\(relative):\(number + 1) named \(old), now \(organisation): check it holds for \(organisation)")
      }
      text = text.replacingOccurrences(of: old, with: organisation)
    }
    try write(text, to: target)
  }
}
