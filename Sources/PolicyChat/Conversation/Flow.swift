import Foundation

/// A conversation the assistant leads over several turns (a consent change, the age screen,
/// a rights request): a value that holds what it has gathered so far, steps on the
/// person's input and says what comes of it.
///
/// A flow does no I/O. It reads through its ``FlowContext`` and asks for writes as
/// ``TurnEffect``s, which the engine applies, with every other effect of the turn, in one
/// transaction after the turn is made: a turn that fails leaves nothing behind.
protocol Flow: Sendable {
  /// The next step on an answer to the question this flow asked.
  func step(_ input: FlowInput, context: FlowContext, state: inout SessionState) throws(EngineError) -> FlowOutcome
  /// Whether the answer awaited is a one-time code: it proves identity, so the message
  /// that answers it is never kept, not even under logging consent (``MessageKeeping``).
  var waitsOnCode: Bool { get }
}

extension Flow {
  var waitsOnCode: Bool { false }
}

/// A flow whose question can wait while the person says something else (``FlowOutcome/aside(_:)``).
protocol AsksAgain: Flow {
  /// The question, asked again after the answer to what the person said instead.
  func question(context: FlowContext, state: SessionState) -> FlowReply
}

/// What a flow steps on: the person's words, or a front end's structured action (which
/// goes straight to the flow, never through the text parser).
enum FlowInput: Sendable {
  case text(message: String, normalized: String)
  case action(GateAction)
}

/// What a flow's step comes to.
enum FlowOutcome: Sendable {
  /// The turn to show. `waiting` is the step the flow now waits on (nil: this flow is done).
  case reply(FlowReply, waiting: PendingStep?)
  /// The age screen first: `action` goes on once it lets the person through. `after` is
  /// what the flow already did this turn, shown before the screen's question.
  case screenFirst(GatedAction, after: FlowReply? = nil)
  /// The age screen let `action` through: it is carried out now (a consent set, a request
  /// started, or the answer it was held with), after `before`.
  case passed(GatedAction, before: FlowReply? = nil)
  /// Not an answer, but not the end of the flow either: the message is read as usual, and
  /// unless that starts something of its own or settles the age screen, `flow` waits on and
  /// asks its question again after the answer.
  case aside(any AsksAgain)
  /// Not this flow's: the message is read as usual, and the flow's question is dropped.
  case decline
  /// A verified rights request, handed to its right: the engine records it and carries it
  /// out (``Engine/fulfil(_:before:state:)``) in the one transaction that also applies the
  /// turn's effects so far, so that a request is never recorded without being carried out
  /// or the other way round. `before` is said first (the code was right, rejections not
  /// told yet); the turn's intent is the fulfilment's.
  case fulfil(VerifiedRequest, before: FlowReply?)
}

/// A turn made of templates (intents/*.yaml), each with its values, and what the turn
/// decided.
struct FlowReply: Sendable {
  struct Part: Sendable {
    /// The template's intent id; the first part's is the turn's intent.
    var template: String
    var values: [String: String]
    /// A template said first in the same reply ("Your request is waiting." before the
    /// question), with the same values.
    var lead: String?
    /// Words already made (a policy answer, a sentence around a setting), shown as they
    /// are instead of the template.
    var text: String?

    init(template: String, values: [String: String] = [:]) {
      self.template = template
      self.values = values
    }

    /// Words shown as they are.
    static func verbatim(_ text: String) -> Part {
      var part = Part(template: "")
      part.text = text
      return part
    }
  }

  var parts: [Part]
  var decision: Decision?
  var events: [TurnEvent] = []
  /// The turn's intent when it is not the first part's: notes said before the answer
  /// (``insert(_:)``), or a request's start after a policy answer.
  var intent: String?
  /// The policy sections the turn's words came from.
  var sources: [SourceReference] = []
  /// How the message was understood, for `/why`, when not simply as this reply's intent.
  var trace: Trace?

  init(_ intents: [String], values: [String: String] = [:], decision: Decision? = nil, events: [TurnEvent] = []) {
    parts = intents.map { Part(template: $0, values: values) }
    self.decision = decision
    self.events = events
  }

  init(_ intent: String, values: [String: String] = [:], decision: Decision? = nil, events: [TurnEvent] = []) {
    self.init([intent], values: values, decision: decision, events: events)
  }

  init(parts: [Part]) {
    self.parts = parts
  }

  /// The intent of the turn it makes.
  var turnIntent: String {
    intent ?? parts.first?.template ?? "fallback"
  }

  /// Another reply's texts, events and (if this one has none) decision, after this one's.
  mutating func append(_ other: FlowReply) {
    parts += other.parts
    events += other.events
    decision = decision ?? other.decision
  }

  /// Another reply said before this one, which keeps its own intent as the turn's.
  mutating func insert(_ before: FlowReply) {
    intent = turnIntent
    parts.insert(contentsOf: before.parts, at: 0)
    events.insert(contentsOf: before.events, at: 0)
    decision = before.decision ?? decision
  }
}
