import Foundation

/// One version of the policy as a person may read it: what changed, whether it is the one
/// in force, and its archived text where there is one.
public struct ArchivedPolicy: Sendable, Equatable {
  public var version: Disclosure.Version
  /// The version in force now.
  public var current: Bool
  /// The version's text, when it is archived under knowledge/.
  public var text: String?
}

extension Engine {
  /// A version of the policy by its name; `.invalidInput` on `version` for one the policy
  /// never had.
  public func archivedPolicy(_ version: String) throws(EngineError) -> ArchivedPolicy {
    guard let found = disclosure.version(version) else {
      throw .invalidInput(field: "version", reason: "one of the policy's versions")
    }
    return ArchivedPolicy(
      version: found, current: found.version == knowledge.policy.version, text: try archivedPolicyText(found))
  }
}
