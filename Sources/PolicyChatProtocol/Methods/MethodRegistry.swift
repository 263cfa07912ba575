/// Every method of the protocol, in the order `initialize` lists them: the one place a
/// method is registered (docs/PROTOCOL.md, "Adding a method").
enum MethodRegistry {
  static let all: [any ProtocolMethod.Type] = [
    InitializeMethod.self, SessionOpenMethod.self, ChatSendMethod.self, ChatExplainMethod.self,
    SessionCloseMethod.self, AgeDeclareMethod.self, CountrySetMethod.self, ParentalRequestMethod.self,
    ParentalStartMethod.self, ParentalVerifyMethod.self, ParentalConfirmMethod.self,
    ParentalHostVerifiedMethod.self, ParentalReviewMethod.self, ParentalRevokeMethod.self,
    ParentalDeleteMethod.self, ParentalNewCodeMethod.self, ConsentSetMethod.self, ConsentStatusMethod.self,
    ConsentReceiptMethod.self, SessionExportMethod.self, RequestStartMethod.self, RequestIdentifyMethod.self,
    RequestVerifyMethod.self, RequestDetailsMethod.self, RequestConfirmMethod.self, RequestStatusMethod.self,
    RequestCancelMethod.self, PolicyVersionsMethod.self, PolicyArchiveMethod.self,
  ]

  /// By name, for dispatch. Should two share a name, the first listed answers (a test
  /// keeps the names unique).
  private static let byName: [String: any ProtocolMethod.Type] = Dictionary(
    all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

  static let names = all.map { $0.name }
  static let hostOnlyNames = all.filter { $0.hostOnly }.map { $0.name }

  static func method(named name: String) -> (any ProtocolMethod.Type)? {
    byName[name]
  }
}
