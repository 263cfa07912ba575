import Foundation

/// Where the engine keeps its records. SQLite is the embedded default
/// (``SQLiteSessionStore``); a deployment that outgrows one machine can implement this
/// protocol over another database without touching the engine.
public protocol SessionStore: Sendable {
  func sessionOpened(_ record: SessionRecord) throws(EngineError)
  func turnTaken(_ record: TurnRecord) throws(EngineError)
  func sessionClosed(id: String, at: Date) throws(EngineError)
}

/// A session as stored: when, and the coarse facts the host passed. No device id and no
/// message text.
public struct SessionRecord: Sendable, Equatable {
  public var id: String
  public var openedAt: Date
  public var closedAt: Date?
  public var country: String?
  public var locale: String?
}

/// A turn as stored: metadata only. What the person typed is not kept.
public struct TurnRecord: Sendable, Equatable {
  public var sessionId: String
  public var sequence: Int
  public var at: Date
  public var intent: String
  public var confidence: Double
  public var method: String
  /// Comma-separated section ids the answer quoted.
  public var sources: String
}
