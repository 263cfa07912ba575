import Foundation

/// A consent receipt in the shape of the Kantara Initiative's Consent Receipt v1.1: what
/// the person has agreed to, with whom, when and until when, so that they can keep proof.
public struct ConsentReceipt: Codable, Sendable, Equatable {
  public var version = "KI-CR-v1.1.0"
  public var jurisdiction: String
  /// Seconds since 1970 of the latest consent it covers.
  public var consentTimestamp: Int
  public var collectionMethod: String
  public var consentReceiptID: String
  public var language: String
  /// A pseudonym of the person: the keyed hash of their device, or the session.
  public var piiPrincipalId: String
  public var piiControllers: [Controller]
  public var policyUrl: String
  public var services: [Service]
  public var sensitive: Bool
  public var spiCat: [String]

  public struct Controller: Codable, Sendable, Equatable {
    public var piiController: String
    public var contact: String
    public var address: String
    public var email: String
    public var phone: String
    public var piiControllerUrl: String
  }

  public struct Service: Codable, Sendable, Equatable {
    public var service: String
    public var purposes: [Purpose]
  }

  public struct Purpose: Codable, Sendable, Equatable {
    public var purpose: String
    public var purposeCategory: [String]
    public var consentType: String
    public var piiCategory: [String]
    public var primaryPurpose: Bool
    public var termination: String
    public var thirdPartyDisclosure: Bool
    public var thirdPartyName: String
  }

  /// The receipt as pretty, key-sorted JSON.
  public var json: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(self) else { return "{}" }
    return String(decoding: data, as: UTF8.self)
  }
}

extension Engine {
  /// The receipt of the consents in force in a session, or nil when none is.
  func consentReceipt(state: SessionState, now: Date) -> ConsentReceipt? {
    let given = consentCatalog.purposes.filter { state.consentValid($0.id, at: now) }
    guard !given.isEmpty else { return nil }
    let records = given.compactMap { state.consents[$0.id] }
    let latest = records.map(\.at).max() ?? now
    let policy = knowledge.policy
    let methods = Set(records.map(\.method)).sorted().joined(separator: ", ")
    return ConsentReceipt(
      jurisdiction: records.last?.jurisdiction ?? "unknown",
      consentTimestamp: Int(latest.timeIntervalSince1970),
      collectionMethod: "in a conversation with \(policy.organisation)'s automated privacy assistant (\(methods))",
      consentReceiptID: Self.uuid(random),
      language: "en", piiPrincipalId: state.subject,
      piiControllers: [
        .init(
          piiController: policy.organisation, contact: "Privacy officer", address: policy.address ?? "",
          email: policy.contact, phone: policy.phone ?? "", piiControllerUrl: policy.website ?? "")
      ],
      policyUrl: policy.policyUrl ?? "",
      services: [
        .init(
          service: "\(policy.organisation) privacy assistant (PolicyChat)",
          purposes: given.map { purpose in
            ConsentReceipt.Purpose(
              purpose: "\(purpose.title): \(purpose.description)", purposeCategory: [purpose.id],
              consentType: "EXPLICIT", piiCategory: purpose.piiCategory, primaryPurpose: false,
              termination:
                "until \(UTCDate.day(state.consents[purpose.id]?.expiresAt ?? now)), or when withdrawn (say \"\(purpose.off)\")",
              thirdPartyDisclosure: false, thirdPartyName: "")
          })
      ],
      sensitive: false, spiCat: [])
  }

  /// A version 4 UUID from the engine's random source, so that a replay gives the same one.
  private static func uuid(_ random: any RandomSource) -> String {
    let hex = Array(random.hexString(count: 32))
    var characters = hex
    characters[12] = "4"
    characters[16] = Array("89ab")[Int(String(hex[16]), radix: 16).map { $0 % 4 } ?? 0]
    let text = String(characters)
    func part(_ from: Int, _ to: Int) -> Substring {
      text[text.index(text.startIndex, offsetBy: from)..<text.index(text.startIndex, offsetBy: to)]
    }
    return [part(0, 8), part(8, 12), part(12, 16), part(16, 20), part(20, 32)].joined(separator: "-")
  }
}
