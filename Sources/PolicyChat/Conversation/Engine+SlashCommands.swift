import Foundation

/// The chat's slash commands (``SlashCommand/all``): each one routed to the flow or the
/// answer the same words would reach, or to the front end's own structured step.
extension Engine {
  func command(_ message: String, state: inout SessionState, now: Date) throws(EngineError) -> (Turn, Trace) {
    let parts = message.split(separator: " ", maxSplits: 1)
    let name = parts.first.map { $0.lowercased() } ?? message
    let argument = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : ""
    let text: String
    let intent: String
    switch name {
    case "/help":
      intent = "help"
      text = composer.templateReply("help")
    case "/why":
      intent = "command.why"
      text = state.lastTrace?.explanation ?? "There is no answer to explain yet."
    case "/age":
      if argument.isEmpty {
        return turn(for: AgeScreenFlow.status(context: flowContext(now), state: state), state: state)
      }
      do {
        return try perform(.declareAge(argument), state: &state, now: now)
      } catch .invalidInput {
        let problem = composer.templateReply("age.problem_unreadable")
        if state.ageGate == nil { state.pending = .flow(AgeScreenFlow(question: .birth, then: nil)) }
        return gateTurn("age.reask", values: ["problem": problem], state: state)
      }
    case "/country":
      return try flowTurn(AgeScreenFlow.command(argument, context: flowContext(now), state: &state), state: &state)
    case "/consent":
      let words = argument.split(separator: " ").map { String($0).lowercased() }
      guard let verb = words.first else {
        return gateTurn(
          "consent.status", values: ["list": ConsentFlow.list(state, context: flowContext(now))], state: state)
      }
      if verb == "receipt" {
        return try flowTurn(
          ConsentFlow.start("consent.receipt", normalized: "", context: flowContext(now), state: &state),
          state: &state)
      }
      let named = consentCatalog.purposes(namedIn: TextNormalizer.normalize(words.dropFirst().joined(separator: " ")))
      guard ["on", "off", "give", "withdraw"].contains(verb), !named.isEmpty else {
        return gateTurn(
          "consent.status", values: ["list": ConsentFlow.list(state, context: flowContext(now))], state: state)
      }
      return try flowTurn(
        ConsentFlow.set(
          named.map(\.id), granted: verb == "on" || verb == "give", method: "command", context: flowContext(now),
          state: &state),
        state: &state)
    case "/parent":
      let words = argument.split(separator: " ").map(String.init)
      guard let reference = words.lazy.compactMap(GateAnswers.reference(in:)).first else {
        return turn(for: AgeScreenFlow.status(context: flowContext(now), state: state), state: state)
      }
      let action = words.first.flatMap { ParentAction(rawValue: $0.lowercased()) } ?? .review
      return try perform(.parent(action, reference: reference), state: &state, now: now)
    default:
      intent = "command.unknown"
      text =
        "Unknown command. Commands: " + SlashCommand.all.map { "\($0.name) (\($0.summary))" }.joined(separator: ", ")
        + "."
    }
    let turn = Turn(
      sessionId: state.id, intent: intent, confidence: 1, replies: [Reply(text: text)], state: state.snapshot)
    // /why explains the answer before it, so it keeps that trace rather than its own.
    let trace = (intent == "command.why" ? state.lastTrace : nil) ?? Trace.plain(.command, intent: intent)
    return (turn, trace)
  }
}
