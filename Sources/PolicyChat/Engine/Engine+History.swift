import Foundation

extension Engine {
  /// Answers one message, as ``send(_:to:)`` does, and says what of it the front end may
  /// write into its own history of typed lines.
  public func sendKeepingHistory(_ text: String, to sessionId: String) throws(EngineError) -> SentMessage {
    try exchange(text, to: sessionId)
  }

  /// Whether lines kept in a front end's history may be offered again in this session (the
  /// arrow keys): only while its `session_logging` consent is in force.
  public func mayRecallHistory(in sessionId: String) throws(EngineError) -> Bool {
    guard let state = sessions.state(of: sessionId) else { throw .unknownSession }
    return state.consentValid("session_logging", at: clock.now())
  }
}
