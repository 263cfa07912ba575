import Foundation

/// Cookie preferences in chat (TTDSG/TDDDG §25, the policy's cookie section): the purposes
/// that store or read something on the person's device (`cookies: true` in
/// knowledge/consent.yaml), shown with where each stands; all accepted or all rejected with
/// equally short answers, or chosen one by one. Each choice is an ordinary consent change
/// (``ConsentFlow``): the age screen runs before anything is turned on, a child's choices
/// stay off, and a browser's refusal signal holds.
struct CookiePreferencesFlow: Flow {
  /// The cookie purposes not yet answered, in the file's order; while `choosing`, the first
  /// is the one just asked about.
  var remaining: [String]
  /// Whether the person chose to decide one by one (otherwise the first question waits).
  var choosing = false
  /// The answers so far, one by one.
  var chosen: [(purpose: String, allowed: Bool)] = []

  static func start(context: FlowContext, state: inout SessionState) -> FlowOutcome {
    let purposes = context.consentCatalog.purposes.filter { $0.cookies && $0.needsConsent }
    guard !purposes.isEmpty else { return .reply(FlowReply("consent.cookies_none"), waiting: nil) }
    let list = purposes.map { purpose in
      "- \(purpose.title): \(standing(purpose.id, state: state, context: context)): \(purpose.description)"
    }.joined(separator: "\n")
    return .reply(
      FlowReply("consent.cookies", values: ["list": list]),
      waiting: .flow(CookiePreferencesFlow(remaining: purposes.map(\.id))))
  }

  func step(_ input: FlowInput, context: FlowContext, state: inout SessionState) throws(EngineError) -> FlowOutcome {
    guard case .text(_, let normalized) = input else { return .decline }
    let cues = context.catalog
    if cues.cue("cancel", matches: normalized) { return .reply(FlowReply("consent.cancelled"), waiting: nil) }
    let words = Set(TextNormalizer.words(normalized))
    let allows = cues.cue("yes", matches: normalized) || !words.isDisjoint(with: Self.allowWords)
    let refuses = cues.cue("no", matches: normalized) || !words.isDisjoint(with: Self.refuseWords)
    guard choosing else {
      if !words.isDisjoint(with: ["choose", "pick", "select", "individually", "each", "customise", "customize"])
        || normalized.contains("one by one")
      {
        var next = self
        next.choosing = true
        return next.ask(context: context)
      }
      // "accept all" and "reject all" are equally short, and neither is the default.
      guard allows != refuses else { return .decline }
      return try Self.settle(remaining.map { ($0, allows) }, context: context, state: &state)
    }
    guard allows != refuses, let purpose = remaining.first else { return ask(context: context, again: true) }
    var next = self
    next.remaining.removeFirst()
    next.chosen.append((purpose, allows))
    guard next.remaining.isEmpty else { return next.ask(context: context) }
    return try Self.settle(next.chosen, context: context, state: &state)
  }

  private static let allowWords: Set = ["accept", "allow", "agree", "enable", "on"]
  private static let refuseWords: Set = ["reject", "refuse", "decline", "deny", "disable", "off", "none"]

  /// "Allow analytics? (yes or no)", for the first purpose not yet answered.
  private func ask(context: FlowContext, again: Bool = false) -> FlowOutcome {
    guard let id = remaining.first, let purpose = context.consentCatalog.purpose(id) else {
      return .reply(FlowReply("consent.cancelled"), waiting: nil)
    }
    let values = ["Title": purpose.title, "description": purpose.description]
    return .reply(
      FlowReply(again ? "consent.cookie_ask_again" : "consent.cookie_ask", values: values), waiting: .flow(self))
  }

  /// Records every answer as a consent change: refusals first, so that a grant held for the
  /// age screen cannot leave one unrecorded.
  private static func settle(
    _ answers: [(purpose: String, allowed: Bool)], context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome {
    var reply: FlowReply?
    let refused = answers.filter { !$0.allowed }.map(\.purpose)
    let allowed = answers.filter(\.allowed).map(\.purpose)
    if !refused.isEmpty,
      case .reply(let refusal, _) = try ConsentFlow.set(
        refused, granted: false, method: "chat", context: context, state: &state)
    {
      reply = refusal
    }
    guard !allowed.isEmpty else { return .reply(reply ?? FlowReply("consent.cancelled"), waiting: nil) }
    let grant = try ConsentFlow.set(allowed, granted: true, method: "chat", context: context, state: &state)
    guard var combined = reply else { return grant }
    switch grant {
    case .reply(let granted, let waiting):
      combined.append(granted)
      return .reply(combined, waiting: waiting)
    case .screenFirst(let action, _):
      return .screenFirst(action, after: combined)
    case .fulfil(let request, let before):
      if let before { combined.append(before) }
      return .fulfil(request, before: combined)
    case .decline, .passed, .aside:
      // ConsentFlow.set only replies or screens first.
      return .reply(combined, waiting: nil)
    }
  }

  /// "on until 2027-06-02", "off", "off (refused by your browser's signal)".
  private static func standing(_ purpose: String, state: SessionState, context: FlowContext) -> String {
    if state.consentValid(purpose, at: context.now), let until = state.consents[purpose]?.expiresAt {
      return "on until \(UTCDate.day(until))"
    }
    if let signal = state.signalRefusals[purpose] { return "off (your browser's \(signal) signal refuses it)" }
    return "off"
  }
}
