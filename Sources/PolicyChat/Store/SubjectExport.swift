import Foundation

/// Everything PolicyChat holds about a data subject: the portability export (schema:
/// docs/schemas/subject-export.schema.json) and the basis of an access summary.
public struct SubjectExport: Sendable, Equatable, Codable {
  public var schema = "https://policychat.dev/schemas/subject-export-v1.json"
  public var exportedAt: Date
  public var subject: DataSubjectRecord
  public var sessions: [SessionExport]
  public var requests: [RequestRecord]
  public var verifications: [Verification]

  /// A one-time code sent to prove the subject's identity: when, for what, how it ended.
  /// Never the code.
  public struct Verification: Sendable, Equatable, Codable {
    public var reference: String
    public var purpose: String
    public var issuedAt: Date
    public var status: String
  }

  /// As JSON with sorted keys and ISO 8601 times.
  public var json: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    guard let data = try? encoder.encode(self) else { return "{}" }
    return String(decoding: data, as: UTF8.self)
  }
}

/// What a query over the request queue selects.
public struct RequestFilter: Sendable, Equatable {
  public var openOnly = false
  public var overdueAt: Date?
  public var dueBefore: Date?
  public var type: String?
  public var subjectId: String?

  public init(
    openOnly: Bool = false, overdueAt: Date? = nil, dueBefore: Date? = nil, type: String? = nil,
    subjectId: String? = nil
  ) {
    self.openOnly = openOnly
    self.overdueAt = overdueAt
    self.dueBefore = dueBefore
    self.type = type
    self.subjectId = subjectId
  }
}
