import Foundation
import Yams

/// The policy: every section from `knowledge/sections/` and the facts of `knowledge/policy.yaml`.
public struct KnowledgeBase: Sendable {
  public let policy: PolicyInfo
  /// In policy order (the order of the file paths).
  public let sections: [Section]
  private let byId: [String: Section]
  private let childIds: [String: [String]]

  public init(policy: PolicyInfo, sections: [Section]) throws(EngineError) {
    var byId: [String: Section] = [:]
    var childIds: [String: [String]] = [:]
    for section in sections {
      if let existing = byId[section.id] {
        throw .invalidData(file: section.file, line: 2, reason: "id '\(section.id)' is also used by \(existing.file)")
      }
      byId[section.id] = section
    }
    for section in sections {
      guard let parent = section.parentId else { continue }
      guard byId[parent] != nil else {
        throw .invalidData(file: section.file, line: 2, reason: "parent section '\(parent)' does not exist")
      }
      childIds[parent, default: []].append(section.id)
    }
    self.policy = policy
    self.sections = sections
    self.byId = byId
    self.childIds = childIds
  }

  /// Loads `knowledge/` under `home`.
  public static func load(home: URL) throws(EngineError) -> KnowledgeBase {
    let folder = home.appendingPathComponent("knowledge")
    let policyFile = folder.appendingPathComponent("policy.yaml")
    let policyText = try DataFiles.read(policyFile, relativeTo: home)
    let policy: PolicyInfo
    do {
      policy = try NodeDecoder.decode(PolicyInfo.self, from: policyText)
    } catch {
      throw YAMLErrors.describe(error, file: DataFiles.relative(policyFile, to: home))
    }
    let files = try DataFiles.list(folder.appendingPathComponent("sections"), extension: "md", relativeTo: home)
    var sections: [Section] = []
    for file in files {
      let text = try DataFiles.read(file, relativeTo: home)
      sections.append(try FrontMatterParser.parse(text, file: DataFiles.relative(file, to: home)))
    }
    guard !sections.isEmpty else {
      throw .invalidData(file: "knowledge/sections", line: nil, reason: "no section files found")
    }
    return try KnowledgeBase(policy: policy, sections: sections)
  }

  public func section(_ id: String) -> Section? { byId[id] }

  /// The sections that speak to `topic`, in policy order, without those inside a section
  /// already listed (its answer includes them): empty when the policy does not cover it.
  public func sections(covering topic: String) -> [Section] {
    var found: [Section] = []
    for section in sections where section.topics.contains(topic) {
      if found.contains(where: { section.id.hasPrefix($0.id + ".") }) { continue }
      found.append(section)
    }
    return found
  }

  public func children(of id: String) -> [Section] {
    (childIds[id] ?? []).compactMap { byId[$0] }
  }

  /// The section and its ancestors, outermost first.
  public func path(to id: String) -> [Section] {
    var chain: [Section] = []
    var current: String? = id
    while let next = current, let section = byId[next] {
      chain.insert(section, at: 0)
      current = section.parentId
    }
    return chain
  }

  /// The outermost section of the family `id` belongs to.
  public func topLevelId(of id: String) -> String {
    String(id.prefix { $0 != "." })
  }

  /// "From: Your rights > Right to Erasure".
  public func citation(for id: String) -> String {
    "From: " + citationPath(for: id)
  }

  /// "Your rights > Access": the section's title under its parents'.
  public func citationPath(for id: String) -> String {
    path(to: id).map(\.title).joined(separator: " > ")
  }
}
