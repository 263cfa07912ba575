import PolicyChat

/// The result of `initialize`.
struct InitializeResult: Encodable {
  var serverName: String
  var serverVersion: String
  var protocolVersion: String
  var policy: Policy
  var methods: [String]
  /// Of `methods`, those only the host may call (``ProtocolServer/hostOnlyMethods``).
  var hostOnlyMethods: [String]

  struct Policy: Encodable {
    var organisation: String
    var version: String
    var lastUpdated: String
  }
}

/// The result of `chat.explain`: how the session's last answer was chosen.
struct ExplainResult: Encodable {
  var sessionId: String
  var trace: Trace?
}

/// The result of `session.close`.
struct CloseResult: Encodable {
  var sessionId: String
  var closed: Bool
}

/// `consent.receipt`: the Kantara v1.1 receipt of the consents in force, or null.
struct ReceiptResult: Encodable {
  var sessionId: String
  var receipt: ConsentReceipt?

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(sessionId, forKey: .sessionId)
    // Always present: null says there is no consent to give a receipt for.
    try container.encode(receipt, forKey: .receipt)
  }

  private enum CodingKeys: String, CodingKey { case sessionId, receipt }
}

/// `policy.versions`: the current version and every version with what changed.
struct PolicyVersionsResult: Encodable {
  var current: String
  var versions: [Version]

  struct Version: Encodable {
    var version: String
    var date: String
    var summary: String
    var material: Bool
  }
}

/// `policy.archive`: one version, with its archived text when there is one.
struct PolicyArchiveResult: Encodable {
  var version: String
  var date: String
  var summary: String
  var material: Bool
  var current: Bool
  var text: String?
}
