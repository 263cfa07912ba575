/// Who asks for a code, or types one: what the budgets are counted by and what tells an
/// address's owner from a stranger.
struct CodeRequester: Sendable, Equatable {
  var sessionId: String
  /// The key a verified subject is linked under: the device's hash, else the session's.
  var subjectKey: String
  /// The device's keyed hash, when the host gave a device id.
  var deviceHash: String?
  /// The subject this session was verified as, if any.
  var verifiedSubject: String?
}

extension SessionState {
  var codeRequester: CodeRequester {
    CodeRequester(sessionId: id, subjectKey: subject, deviceHash: deviceHash, verifiedSubject: subjectId)
  }
}
