/// Facts about the policy as a document: `knowledge/policy.yaml`.
public struct PolicyInfo: Codable, Sendable, Equatable {
  public var organisation: String
  public var contact: String
  public var version: String
  /// ISO 8601 date, e.g. `2026-11-29`.
  public var lastUpdated: String
  /// The controller's postal address, telephone and web addresses, for consent receipts;
  /// empty when the policy does not publish them.
  public var address: String?
  public var phone: String?
  public var website: String?
  public var policyUrl: String?
  /// How questions are answered; sections when absent.
  public var answers: AnswerStyle?

  public enum AnswerStyle: String, Codable, Sendable {
    /// The section (or the blocks of it) that the intents and the aliases choose: for a
    /// policy whose sections were written with aliases, as Rousora's.
    case sections
    /// The best sentences of the whole policy (``PassageIndex``): for an imported policy
    /// nobody wrote aliases for.
    case passages
  }
}
