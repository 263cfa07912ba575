import Foundation

/// What the engine remembers about one open session, in memory only.
struct SessionState: Sendable {
  let id: String
  /// The section the conversation is about, for follow-ups.
  var topic: String?
  /// The words that led to ``topic``, carried into follow-ups.
  var topicTerms: [QueryTerm] = []
  /// Intents offered in a clarification question, in the order shown.
  var choices: [String] = []
  var lastTrace: Trace?
  /// The latest automated decision of the session, for a request for a person to review it.
  var lastDecision: Decision?
  var turnCount = 0

  /// The country whose rules apply; nil while unknown (the strictest rule applies).
  var country: String?
  /// A group of countries the person named ("the EU") without saying which one: until
  /// they do, the strictest rule among its countries applies rather than the strictest
  /// of all. Only ever read while ``country`` is nil.
  var region: String?
  /// Whether the person was asked for their country (and may have declined to say).
  var countryAsked = false
  /// The host's device id, hashed with the installation's key; never the id itself.
  var deviceHash: String?
  /// The age given in this session, in memory only: never stored.
  var age: Int?
  var ageGate: AgeGateOutcome?
  /// The age gate's outcome came from an earlier answer on this device.
  var ageGateFromDevice = false
  /// The latest parental consent asked for this (child's) session, and where it stands.
  var parentalReference: String?
  var parentalStatus: String?
  /// What verified parental consents cover: request intents, or `*` for any request.
  var consentedScopes: Set<String> = []
  /// The child was offered to ask a parent, so an address typed later is the parent's.
  var parentOffered = false
  /// Consents whose parent proved, in this session, that they hold the code.
  var parentVerified: Set<String> = []
  /// The question the assistant asked and is waiting for an answer to.
  var pending: PendingStep?
  /// The person's current consent per purpose (the latest record of each).
  var consents: [String: ConsentRecord] = [:]
  /// Purposes refused by the browser's Do Not Track or Global Privacy Control signal.
  var signalRefusals: [String: String] = [:]
  /// A restriction of processing is in force for this person: nothing is kept.
  var restricted = false
  /// The data subject this session is known to belong to (after a verification, or by the
  /// device), so that the officer's actions reach it at once.
  var subjectId: String?
  /// Everything about this person was erased in this session: nothing more is kept.
  var erased = false
  /// What a child asked for that waits for a parent's consent, kept while the child
  /// talks about other things, so that a parent's address given later still reaches it.
  var heldForParent: GatedAction?
  /// The writes this turn's flows asked for, applied when the turn is made.
  var effects: [TurnEffect] = []

  /// Whose consents these are: the device (by its keyed hash) when the host named one, so
  /// that consent outlives the session; otherwise just this session.
  var subject: String { deviceHash ?? "session:" + id }

  /// Whether a consent is in force at `now`: given, not withdrawn, not expired, and never
  /// for a child.
  func consentValid(_ purpose: String, at now: Date) -> Bool {
    guard !childPrivacy, !restricted, !erased, let record = consents[purpose], record.granted else { return false }
    return (record.expiresAt ?? .distantPast) > now
  }

  /// A child's session: nothing about the child is kept, and no logging, marketing or
  /// profiling is allowed whatever is asked.
  var childPrivacy: Bool {
    ageGate == .needsParentalConsent || ageGate == .belowServiceAge
  }

  var snapshot: TurnState {
    var ageGateText: String?
    if case .flow(let flow)? = pending, flow is AgeScreenFlow { ageGateText = "asking" }
    if let ageGate { ageGateText = ageGate.stateName }
    var consentStates: [String: String] = [:]
    for (purpose, record) in consents {
      // A consent that lapsed, or that a material policy change put back to the person, is
      // "expired": it was given, and has to be given again.
      let lapsed = record.method == "expiry" || record.method == "policy_change"
      consentStates[purpose] = record.granted ? "given" : (lapsed ? "expired" : "refused")
    }
    for purpose in signalRefusals.keys where consents[purpose]?.granted != true {
      consentStates[purpose] = "refused_by_signal"
    }
    return TurnState(
      topic: topic, choices: choices.isEmpty ? nil : choices, country: country, ageGate: ageGateText,
      region: country == nil ? region : nil,
      parentalConsent: parentalStatus, childPrivacy: childPrivacy ? true : nil,
      consents: consentStates.isEmpty ? nil : consentStates,
      logging: consentStates.isEmpty
        ? nil : consentStates["session_logging"] == "given" && !childPrivacy && !restricted && !erased)
  }
}

/// A question the assistant asked and the answer it waits for.
enum PendingStep: Sendable {
  /// A flow of Flows/ waiting on its question.
  case flow(any Flow)
}

/// Something the person asked for that collects personal data, waiting for the age gate.
struct GatedAction: Sendable {
  /// Purposes to turn on once the gate lets the action through, if that is the action.
  var consentTo: [String]?
  /// How that consent is being given: `chat`, `command` or `protocol`.
  var consentMethod = "chat"
  /// The intent asked for (`request.erasure`, ...).
  var intent: String
  /// The answer it will get once the gate lets it through.
  var replies: [Reply]
  var sources: [SourceReference]
  /// How the request was understood, for `/why` once it goes through.
  var trace: Trace
}

/// What a parent or guardian wants to do with a consent.
public enum ParentAction: String, Sendable, Codable {
  case consent, review, revoke, delete
  case newCode = "new_code"
}

extension AgeGateOutcome {
  /// The name in `Turn.state.ageGate`.
  var stateName: String {
    switch self {
    case .adult: "adult"
    case .needsParentalConsent: "needs_parental_consent"
    case .belowServiceAge: "below_service_age"
    }
  }
}
