import Foundation
import Yams

/// How the age screen and parental consent behave: `knowledge/age-gate.yaml`.
public struct GateSettings: Sendable {
  /// How long a device that answered below the applicable age cannot answer again.
  public var deviceMemory: TimeInterval
  public var codeDigits: Int
  public var codeLifetime: TimeInterval
  public var maxAttempts: Int
  /// How many codes one consent's reference can be sent in 24 hours: beyond it, whoever
  /// knows the reference can neither flood the parent's mailbox nor go on guessing.
  public var maxCodesPerDay: Int
  /// How long after its code expired an unanswered consent request is closed.
  public var closeUnansweredAfter: TimeInterval
  /// What `email_plus` means, in words for the parent.
  public var emailPlus: String
  /// The ways a host may have verified a parent (`card`, `id_document`, ...), each
  /// described for the record.
  public var hostMethods: [String: String]
  /// What a parent consents to, by what the child asked for; with `{placeholders}`.
  public var scopes: [String: String]

  static func load(home: URL) throws(EngineError) -> GateSettings {
    let url = home.appendingPathComponent("knowledge/age-gate.yaml")
    let name = DataFiles.relative(url, to: home)
    let file: File = try DataFiles.decodeYAML(url, home: home)
    let code = file.parentalConsent.code
    guard (4...10).contains(code.digits), code.lifetimeMinutes > 0, code.maxAttempts > 0,
      code.maxCodesPerDay > 0, file.screen.deviceMemoryDays >= 0
    else {
      throw .invalidData(
        file: name, line: nil,
        reason:
          "code digits must be 4 to 10; lifetimeMinutes, maxAttempts, maxCodesPerDay and deviceMemoryDays must be positive"
      )
    }
    guard file.parentalConsent.scopes["rights_request"] != nil else {
      throw .invalidData(file: name, line: nil, reason: "parentalConsent.scopes must describe 'rights_request'")
    }
    return GateSettings(
      deviceMemory: TimeInterval(file.screen.deviceMemoryDays) * 86_400, codeDigits: code.digits,
      codeLifetime: TimeInterval(code.lifetimeMinutes) * 60, maxAttempts: code.maxAttempts,
      maxCodesPerDay: code.maxCodesPerDay,
      closeUnansweredAfter: TimeInterval(file.parentalConsent.closeUnansweredAfterDays) * 86_400,
      emailPlus: file.parentalConsent.methods.emailPlus, hostMethods: file.parentalConsent.methods.hostVerified,
      scopes: file.parentalConsent.scopes)
  }

  /// "24 hours", "10 minutes": a code's life in words.
  var codeLifetimeText: String {
    let minutes = Int(codeLifetime / 60)
    if minutes % 1440 == 0 { return minutes == 1440 ? "24 hours" : "\(minutes / 1440) days" }
    if minutes % 60 == 0 { return minutes == 60 ? "1 hour" : "\(minutes / 60) hours" }
    return minutes == 1 ? "1 minute" : "\(minutes) minutes"
  }

  private struct File: Decodable {
    var screen: Screen
    var parentalConsent: Parental

    struct Screen: Decodable {
      var deviceMemoryDays: Int
    }
    struct Parental: Decodable {
      var code: Code
      var methods: Methods
      var scopes: [String: String]
      var closeUnansweredAfterDays: Int
    }
    struct Code: Decodable {
      var digits: Int
      var lifetimeMinutes: Int
      var maxAttempts: Int
      var maxCodesPerDay: Int
    }
    struct Methods: Decodable {
      var emailPlus: String
      var hostVerified: [String: String]

      enum CodingKeys: String, CodingKey {
        case emailPlus = "email_plus"
        case hostVerified = "host_verified"
      }
    }
  }
}
