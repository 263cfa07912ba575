import Foundation
import Yams

/// Every kind of automated decision the engine can make, with its rule, logic,
/// consequence and contest route: `knowledge/decisions.yaml`.
public struct DecisionCatalog: Sendable {
  public struct Entry: Sendable, Equatable {
    public var rule: String
    public var logic: String
    public var consequence: String
    public var contest: String
  }

  public let entries: [String: Entry]

  static func load(home: URL) throws(EngineError) -> DecisionCatalog {
    let url = home.appendingPathComponent("knowledge/decisions.yaml")
    let name = DataFiles.relative(url, to: home)
    let file: File = try DataFiles.decodeYAML(url, home: home)
    for (kind, entry) in file.decisions
    where [entry.rule, entry.logic, entry.consequence, entry.contest].contains(where: {
      $0.trimmingCharacters(in: .whitespaces).isEmpty
    }) {
      throw .invalidData(
        file: name, line: nil, reason: "decision '\(kind)' needs a rule, logic, consequence and contest")
    }
    return DecisionCatalog(entries: file.decisions)
  }

  private struct File: Decodable {
    var decisions: [String: Entry]
  }
}

extension DecisionCatalog.Entry: Decodable {}
