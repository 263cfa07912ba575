import Foundation

/// What one right does once the person's identity is verified and they confirmed: the
/// `types:` of knowledge/requests.yaml choose one per right, and its `fulfilment:` says
/// whether the engine carries it out (`automatic`) or the privacy officer does (`officer`).
/// docs/REQUESTS.md has the recipe for adding one.
protocol RightFulfilment: Sendable {
  /// Its key under `types:`, and its intent without `request.`.
  var type: String { get }
  /// Whether the engine can carry it out itself; `fulfilment: automatic` is refused for a
  /// right that cannot.
  var canFulfilAutomatically: Bool { get }
  /// What the flow asks once identity is verified, before the request is made.
  var asks: RightQuestion { get }
  /// Whether ``carryOut(_:state:engine:)`` needs what is held about the person, read
  /// before the request is recorded (so not counting the request itself).
  var readsWhatIsHeld: Bool { get }
  /// The details the request keeps, from what the person typed.
  func recordedDetails(_ typed: String?, state: SessionState, engine: Engine) -> String?
  /// Carries the right out. Only called for `fulfilment: automatic`.
  func carryOut(_ request: RightRequest, state: inout SessionState, engine: Engine) throws(EngineError)
    -> RightOutcome
  /// Leaves the request open in the privacy officer's queue, saying so.
  func passOn(_ request: RightRequest, state: inout SessionState, engine: Engine) throws(EngineError)
    -> RightOutcome
}

/// What the flow asks between verification and the request.
enum RightQuestion: Sendable, Equatable {
  case nothing
  /// What it is about (`request.ask_details_<type>`).
  case details
  /// A yes, after showing what is held (`request.confirm_<type>`).
  case confirmation
}

/// A verified request just recorded, for its fulfilment.
struct RightRequest: Sendable {
  var reference: String
  var subjectId: String
  /// What the person typed for it, as typed.
  var details: String?
  /// What was held before the request, when the fulfilment ``RightFulfilment/readsWhatIsHeld``.
  var held: SubjectExport?
  var now: Date
}

/// What a fulfilment did: the reply, its placeholders and events, and the outcome recorded
/// on the request. No outcome: the request stays open for the privacy officer.
struct RightOutcome: Sendable {
  var intent: String
  var values: [String: String] = [:]
  var events: [TurnEvent] = []
  var outcome: String?
  /// Records were deleted: their bytes are overwritten in the file afterwards.
  var deletedRecords = false
}

extension RightFulfilment {
  var canFulfilAutomatically: Bool { false }
  var asks: RightQuestion { .nothing }
  var readsWhatIsHeld: Bool { false }

  func recordedDetails(_ typed: String?, state: SessionState, engine: Engine) -> String? {
    typed
  }

  func carryOut(_ request: RightRequest, state: inout SessionState, engine: Engine) throws(EngineError)
    -> RightOutcome
  {
    try passOn(request, state: &state, engine: engine)
  }

  func passOn(_ request: RightRequest, state: inout SessionState, engine: Engine) throws(EngineError)
    -> RightOutcome
  {
    RightOutcome(intent: "request.passed_on")
  }
}
