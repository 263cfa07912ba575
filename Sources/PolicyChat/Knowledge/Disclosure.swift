import Foundation
import Yams

/// What the assistant says about itself, what it keeps about a person, and the policy's
/// versions: `knowledge/disclosure.yaml`, versioned with the policy.
public struct Disclosure: Sendable {
  /// One version of the policy: when, what changed, whether consents must be asked again,
  /// and where its text is archived.
  public struct Version: Sendable, Equatable, Decodable {
    public var version: String
    public var date: String
    public var summary: String
    public var material: Bool
    /// A folder under knowledge/ with that version's sections, for an archived version.
    public var archive: String?
  }

  public let opening: String
  public let profiling: String
  /// Oldest first; the last is the current version.
  public let versions: [Version]
  /// Archived texts held in memory (by a revision made in process), by version.
  let archivedInMemory: [String: String]

  public func version(_ id: String) -> Version? {
    versions.first { $0.version == id }
  }

  /// The versions after `old` up to the current one.
  public func changes(since old: String) -> [Version] {
    guard let index = versions.firstIndex(where: { $0.version == old }) else { return versions.suffix(1) }
    return Array(versions[(index + 1)...])
  }

  /// The text of an archived version: its sections' files, in order.
  public func archivedText(_ version: Version, home: URL) throws(EngineError) -> String? {
    if let text = archivedInMemory[version.version] { return text }
    guard let archive = version.archive else { return nil }
    let folder = home.appendingPathComponent("knowledge").appendingPathComponent(archive)
    var parts: [String] = []
    for url in try DataFiles.list(folder, extension: "md", relativeTo: home) {
      parts.append(try DataFiles.read(url, relativeTo: home))
    }
    return parts.joined(separator: "\n\n")
  }

  static func load(home: URL, policy: PolicyInfo) throws(EngineError) -> Disclosure {
    let url = home.appendingPathComponent("knowledge/disclosure.yaml")
    let name = DataFiles.relative(url, to: home)
    let file: File = try DataFiles.decodeYAML(url, home: home)
    guard file.policyVersion == policy.version else {
      throw .invalidData(
        file: name, line: nil,
        reason: "policyVersion \(file.policyVersion) does not match knowledge/policy.yaml's version \(policy.version)")
    }
    guard file.versions.last?.version == policy.version else {
      throw .invalidData(file: name, line: nil, reason: "the last of versions must be the current one")
    }
    guard file.opening.lowercased().contains("automated") else {
      throw .invalidData(file: name, line: nil, reason: "the opening must say that the assistant is automated")
    }
    return Disclosure(
      opening: file.opening, profiling: file.profiling, versions: file.versions, archivedInMemory: [:])
  }

  /// The disclosure with a newer version added, the current one's text archived.
  func adding(_ version: Version, archiving current: String) -> Disclosure {
    var archived = archivedInMemory
    if let last = versions.last { archived[last.version] = current }
    return Disclosure(
      opening: opening, profiling: profiling, versions: versions + [version], archivedInMemory: archived)
  }

  private struct File: Decodable {
    var policyVersion: String
    var opening: String
    var profiling: String
    var versions: [Version]
  }
}
