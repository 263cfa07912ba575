/// Facts about the policy as a document: `knowledge/policy.yaml`.
public struct PolicyInfo: Codable, Sendable, Equatable {
  public var organisation: String
  public var contact: String
  public var version: String
  /// ISO 8601 date, e.g. `2026-11-29`.
  public var lastUpdated: String
}
