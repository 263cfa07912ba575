/// The rights the engine knows how to fulfil, by their `types:` key in
/// knowledge/requests.yaml.
struct RightRegistry: Sendable {
  private(set) var fulfilments: [String: any RightFulfilment] = [:]

  init(_ fulfilments: [any RightFulfilment]) {
    for fulfilment in fulfilments { self.fulfilments[fulfilment.type] = fulfilment }
  }

  /// Every right the engine ships with. A new right's file adds its value here.
  static let standard = RightRegistry([
    AccessRight(), PortabilityRight(), ErasureRight(), CorrectionRight(), RestrictionRight(), ObjectionRight(),
    WithdrawConsentRight(), ComplaintRight(), HumanReviewRight(),
  ])

  /// These rights and `more` (an embedding application's or a test's own).
  func adding(_ more: [any RightFulfilment]) -> RightRegistry {
    var registry = self
    for fulfilment in more { registry.fulfilments[fulfilment.type] = fulfilment }
    return registry
  }

  subscript(type: String) -> (any RightFulfilment)? {
    fulfilments[type]
  }
}

/// A right as knowledge/requests.yaml chose it: its fulfilment, and whether the engine
/// carries it out or the privacy officer does.
struct ChosenRight: Sendable {
  var fulfilment: any RightFulfilment
  var automatic: Bool
}
