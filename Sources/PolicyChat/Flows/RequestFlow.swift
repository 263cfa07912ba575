import Foundation

/// Rights requests (knowledge/requests.yaml): once the age screen let the request through,
/// the person's e-mail address, a one-time code through the host (RequestFlow+Identity),
/// then what the right asks (details, or a yes after seeing what is held), and the request
/// handed to the engine to record with its reference and legal deadline and to carry out
/// where it can (``FlowOutcome/fulfil(_:before:)``).
struct RequestFlow: Flow {
  enum Question: Sendable, Equatable {
    /// "What is your e-mail address?"
    case email
    /// The code sent to that address.
    case code
    /// What a correction, complaint or review is about.
    case details
    /// The go-ahead, after seeing what is held.
    case confirmation

    /// The protocol's `request.answer` field that answers it.
    var field: String {
      switch self {
      case .email: "email"
      case .code: "code"
      case .details: "text"
      case .confirmation: "confirm"
      }
    }
  }

  var draft: RequestDraft
  var question: Question

  var waitsOnCode: Bool { question == .code }

  func step(_ input: FlowInput, context: FlowContext, state: inout SessionState) throws(EngineError) -> FlowOutcome {
    switch input {
    case .text(let message, let normalized):
      return try answer(message, normalized: normalized, context: context, state: &state)
    case .action(.requestAnswer(let field, let value)) where field == question.field:
      // A yes or no from a form is a Bool, never words to read.
      guard question == .confirmation else {
        return try answer(value, normalized: TextNormalizer.normalize(value), context: context, state: &state)
      }
      return value == "true" ? fulfil(draft, context: context) : notConfirmed(context: context, state: &state)
    case .action(.cancelRequest):
      return Self.cancelled(draft, how: "by protocol", context: context, state: &state)
    case .action:
      return .decline
    }
  }

  /// A request intent passed the age screen (or is a review by a person, which it never
  /// holds back): say what it will do and ask for the address.
  static func start(_ action: GatedAction, context: FlowContext, state: SessionState) -> FlowOutcome {
    let type = String(action.intent.dropFirst("request.".count))
    var reply = FlowReply(parts: startParts(action, type: type, context: context, state: state))
    reply.intent = action.intent
    reply.sources = action.sources
    reply.trace = action.trace
    return .reply(reply, waiting: .flow(RequestFlow(draft: RequestDraft(type: type), question: .email)))
  }

  /// The answer to the question waiting; `.decline` when the message is about something else.
  private func answer(
    _ message: String, normalized: String, context: FlowContext, state: inout SessionState
  ) throws(EngineError) -> FlowOutcome {
    let catalog = context.catalog
    if catalog.cue("cancel", matches: normalized) {
      return Self.cancelled(draft, how: "in chat", context: context, state: &state)
    }
    switch question {
    case .email:
      guard let email = GateAnswers.email(in: message) else {
        guard message.contains("@") else { return .decline }
        return .reply(FlowReply("request.ask_email_again"), waiting: .flow(self))
      }
      var given = draft
      given.email = email
      return try Self.sendCode(given, retry: self, context: context, state: state)
    case .code:
      return try codeAnswer(message, normalized: normalized, context: context, state: &state)
    case .details:
      var given = draft
      given.details = message
      return fulfil(given, context: context)
    case .confirmation:
      if catalog.cue("yes", matches: normalized) { return fulfil(draft, context: context) }
      if catalog.cue("no", matches: normalized) { return notConfirmed(context: context, state: &state) }
      return .reply(FlowReply("request.confirm_again"), waiting: .flow(self))
    }
  }

  /// The verified request to the engine, to record and carry out.
  func fulfil(_ draft: RequestDraft, context: FlowContext, before: FlowReply? = nil) -> FlowOutcome {
    guard let subjectId = draft.subjectId else { return .reply(FlowReply("request.cancelled"), waiting: nil) }
    let request = VerifiedRequest(
      type: draft.type, subjectId: subjectId, details: draft.details, challenge: draft.challenge, at: context.now)
    return .fulfil(request, before: before)
  }

  private func notConfirmed(context: FlowContext, state: inout SessionState) -> FlowOutcome {
    Self.cancelled(draft, how: "\(draft.type) not confirmed", context: context, state: &state)
  }

  /// A request stopped: nothing it made is kept (the subject record it made, the links it
  /// added), but the audit note that it was cancelled.
  static func cancelled(
    _ draft: RequestDraft?, how: String, context: FlowContext, state: inout SessionState
  ) -> FlowOutcome {
    if let draft, let subjectId = draft.subjectId {
      if draft.createdSubject {
        state.effect(.deleteSubject(id: subjectId))
      } else {
        state.effect(.unlink(subjectId: subjectId, key: "session:" + state.id))
        if draft.linkedDevice { state.effect(.unlink(subjectId: subjectId, key: state.subject)) }
      }
      state.subjectId = nil
    }
    state.effect(
      .audit(
        AuditRecord(at: context.now, actor: "subject", action: "request flow cancelled", reference: nil, detail: how))
    )
    return .reply(FlowReply("request.cancelled"), waiting: nil)
  }
}

/// A rights request being taken: its type and what the flow has gathered so far.
struct RequestDraft: Sendable, Equatable {
  /// `access`, `erasure`, ... (the intent without `request.`).
  var type: String
  var email: String?
  /// The identity code's challenge id.
  var challenge: String?
  var subjectId: String?
  var details: String?
  /// The subject record was made by this flow, and the device linked by it: undone if the
  /// person cancels after verifying.
  var createdSubject = false
  var linkedDevice = false
}

/// A request whose person proved who they are, for the engine to record and carry out.
struct VerifiedRequest: Sendable {
  var type: String
  var subjectId: String
  /// What the person typed for it, as typed.
  var details: String?
  /// The identity code's challenge, tagged with the request's reference once it has one.
  var challenge: String?
  /// The time of the turn that completed it: the request's receipt.
  var at: Date
}
