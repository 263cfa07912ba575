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
  }

  public var line: Int
  public var action: Action
  public var expectations: Expectations
  /// The session a `user` or `call` step goes to: ``Transcript/mainSession`` unless the
  /// step says `in:`.
  public var session: String = Transcript.mainSession
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
