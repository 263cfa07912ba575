/// One protocol line read and checked by ``ProtocolServer/prepare(line:)``: either already
/// answered (an error, a blank line) or a call still to make, with the session it names.
public struct PreparedLine: Sendable {
  enum Body: Sendable {
    /// The response (nil: none) is known without calling anything.
    case answered(String?)
    case call(method: String, params: JSONValue?, id: RequestID?)
  }

  let body: Body
  /// `params.sessionId` of a call that gives one. Calls about different sessions do not
  /// depend on each other's order, so ``RequestLanes`` may run them at once; a line that
  /// names no session (`initialize`, `session.open`, an error) waits for all before it.
  public let sessionId: String?

  init(_ body: Body, sessionId: String? = nil) {
    self.body = body
    self.sessionId = sessionId
  }
}
