import Foundation
import PolicyChat
import PolicyChatProtocol

/// A conversation kept as a regression fixture: how to open the session, and the steps to
/// replay with what each must produce. See docs/TRANSCRIPTS.md.
public struct Transcript: Sendable {
  /// The file, as given on the command line, for messages.
  public var file: String
  public var name: String
  public var description: String?
  public var session: SessionOptions
  /// The fixed time the engine's clock starts at.
  public var now: Date
  public var seed: UInt64
  /// Expectations on the opening turn, if any.
  public var opening: Expectations?
  public var steps: [Step]

  /// The name of the session that `session:` opens, where steps go unless they say `in:`.
  public static let mainSession = "main"
  public static let defaultNow = Date(timeIntervalSince1970: 1_798_761_600)  // 2027-01-01T00:00:00Z
  public static let defaultSeed: UInt64 = 1
}

/// A value read from the file, with the line it stands on.
public struct Located<Value: Sendable>: Sendable {
  public var value: Value
  public var line: Int
}

extension Located: Equatable where Value: Equatable {}

/// One step of a transcript.
public struct Step: Sendable {
  public enum Action: Sendable {
    /// The person types this.
    case user(String)
    /// A protocol method with no chat phrasing; `sessionId` is filled in when left out.
    case call(method: String, params: JSONValue?)
    /// The clock moves on, for expiries and deadlines (one clock for every session).
    case advance(TimeInterval)
    /// Another session opens on the same engine, under a name later steps give as `in:`.
    case open(name: String, options: SessionOptions)
    /// The privacy officer acts on a request, as `policychat admin requests ...` would.
    case admin(AdminAction)
    /// The policy changes: from here on the transcript runs on an engine over the revised
    /// policy, sharing the database, clock and randomness of the one before. Sessions opened
    /// before this step belong to the old engine and take no more steps.
    case policy(PolicyRevision)
  }

  public var line: Int
  public var action: Action
  public var expectations: Expectations
  /// The session a `user` or `call` step goes to: ``Transcript/mainSession`` unless the
  /// step says `in:`.
  public var session: String = Transcript.mainSession
}

/// One of the privacy officer's actions on a rights request (docs/REQUESTS.md), run on the
/// transcript's engine by an `admin:` step.
public struct AdminAction: Sendable, Equatable {
  public enum Kind: String, Sendable, CaseIterable {
    /// `rejectRequest`, with the reasons the person is told.
    case reject
    /// `extendRequest`, once, with the reasons the person is told.
    case extend
    /// `completeRequest`, with an optional note.
    case complete
    /// `liftRestriction`, for a restriction request.
    case lift
  }

  /// The `reference:` that stands for the most recent `RQ-` reference seen in a reply.
  public static let lastReference = "last"

  public var kind: Kind
  /// A reference (`RQ-7F3K2P`), or ``lastReference``.
  public var reference: String
  /// For `reject` and `extend`.
  public var reason: String?
  /// For `complete`.
  public var note: String?
  /// Who acts, for the audit log.
  public var officer: String
  /// The action must be refused (`error: true`); the line of that key.
  public var expectsError: Located<Bool>?

  public static let defaultOfficer = "privacy officer"

  public init(
    kind: Kind, reference: String, reason: String? = nil, note: String? = nil, officer: String = Self.defaultOfficer,
    expectsError: Located<Bool>? = nil
  ) {
    self.kind = kind
    self.reference = reference
    self.reason = reason
    self.note = note
    self.officer = officer
    self.expectsError = expectsError
  }
}

/// A newer version of the policy, as `PolicyData.revised(version:date:summary:material:)`
/// makes it, for a `policy:` step.
public struct PolicyRevision: Sendable, Equatable {
  public var version: String
  /// The day the version takes effect, `2027-03-01`.
  public var date: String
  /// What changed, as a returning person is told it.
  public var summary: String
  /// Whether consents given under an earlier version are off until given again.
  public var material: Bool

  public init(version: String, date: String, summary: String, material: Bool) {
    self.version = version
    self.date = date
    self.summary = summary
    self.material = material
  }
}

/// What a turn (or a call's response) must look like. Every field is optional; a `user` or
/// `call` step must set at least one (an `open` step may set none).
public struct Expectations: Sendable {
  /// The reply text, exactly (replies joined by a blank line).
  public var bot: Located<String>?
  public var botContains: Located<[String]>?
  public var botMatches: Located<String>?
  /// At least one of these appears in the reply text.
  public var botAny: Located<[String]>?
  public var botNotContains: Located<[String]>?
  public var intent: Located<String>?
  /// The ids of the sources, in order.
  public var sources: Located<[String]>?
  /// A partial match of the turn's decision (`null`: there must be none).
  public var decision: Located<JSONValue>?
  /// Each of these partial events matches one of the turn's events.
  public var events: Located<[JSONValue]>?
  /// A partial match of the turn's state.
  public var state: Located<JSONValue>?
  /// For `call`: a partial match of the result.
  public var result: Located<JSONValue>?
  /// For `call`: a partial match of the error (`code`, `data.reason`, ...).
  public var error: Located<JSONValue>?

  public init() {}

  var isEmpty: Bool {
    bot == nil && botContains == nil && botMatches == nil && botAny == nil && botNotContains == nil
      && intent == nil && sources == nil && decision == nil && events == nil && state == nil && result == nil
      && error == nil
  }
}
