import Foundation

extension Engine {
  /// What is stored about a session, for the person in it: only while it is open on this
  /// engine, since the id of a closed one may have been seen by others. The privacy officer
  /// exports any session with ``export(sessionId:)``.
  public func exportOpenSession(_ sessionId: String) throws(EngineError) -> SessionExport {
    guard isOpen(sessionId) else { throw .unknownSession }
    return try export(sessionId: sessionId)
  }
}
