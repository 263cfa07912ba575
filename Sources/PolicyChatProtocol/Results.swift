import PolicyChat

/// The result of `initialize`.
struct InitializeResult: Encodable {
  var serverName: String
  var serverVersion: String
  var protocolVersion: String
  var policy: Policy
  var methods: [String]

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
