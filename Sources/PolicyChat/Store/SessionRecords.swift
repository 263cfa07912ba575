import Foundation

/// A session as stored: when, and the coarse facts the host passed (none for a child's
/// session). No device id and no message text.
public struct SessionRecord: StoredRecord {
  public var id: String
  public var openedAt: Date
  public var closedAt: Date?
  public var country: String?
  public var locale: String?

  public init(id: String, openedAt: Date, closedAt: Date? = nil, country: String? = nil, locale: String? = nil) {
    self.id = id
    self.openedAt = openedAt
    self.closedAt = closedAt
    self.country = country
    self.locale = locale
  }

  public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
    case id, openedAt, closedAt, country, locale
  }

  public typealias Field = CodingKeys
  public static let table = "session"
  public static let key: [Field] = [.id]
}

/// A turn as stored: metadata only. What the person typed is not kept.
public struct TurnRecord: StoredRecord {
  public var sessionId: String
  public var sequence: Int
  public var at: Date
  public var intent: String
  public var confidence: Double
  public var method: String
  /// Comma-separated section ids the answer quoted.
  public var sources: String

  public init(
    sessionId: String, sequence: Int, at: Date, intent: String, confidence: Double, method: String, sources: String
  ) {
    self.sessionId = sessionId
    self.sequence = sequence
    self.at = at
    self.intent = intent
    self.confidence = confidence
    self.method = method
    self.sources = sources
  }

  public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
    case sessionId, sequence, at, intent, confidence, method, sources
  }

  public typealias Field = CodingKeys
  public static let table = "turn"
  public static let key: [Field] = [.sessionId, .sequence]
}

/// A setting the engine keeps in the store itself: the key of the device hashes, and the
/// data key of a store that lives only in memory.
public struct SettingRecord: StoredRecord {
  public var key: String
  public var value: Data

  public init(key: String, value: Data) {
    self.key = key
    self.value = value
  }

  public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
    case key, value
  }

  public typealias Field = CodingKeys
  public static let table = "setting"
  public static let key: [Field] = [.key]
}
