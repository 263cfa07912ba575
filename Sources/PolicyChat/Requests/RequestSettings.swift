import Foundation
import Yams

/// Identity verification, legal deadlines and complaint routes for rights requests:
/// `knowledge/requests.yaml`.
public struct RequestSettings: Sendable {
  /// A legal regime's deadline: a number of calendar months or of days from receipt, and
  /// the one extension it allows.
  public struct Regime: Sendable, Equatable {
    public var id: String
    public var name: String
    public var months: Int?
    public var days: Int?
    public var extensionMonths: Int?
    public var extensionDays: Int?

    /// When a request received at `received` is due; `extended`: after the one extension.
    public func due(from received: Date, extended: Bool = false) -> Date {
      var calendar = Calendar(identifier: .gregorian)
      calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
      if let months {
        // Calendar adds months the way the law counts them: 31 January + 1 month is the
        // last day of February.
        let total = months + (extended ? extensionMonths ?? 0 : 0)
        return calendar.date(byAdding: .month, value: total, to: received) ?? received
      }
      let total = (days ?? 30) + (extended ? extensionDays ?? 0 : 0)
      return calendar.date(byAdding: .day, value: total, to: received) ?? received
    }
  }

  public var codeDigits: Int
  public var codeLifetime: TimeInterval
  public var maxAttempts: Int
  /// How many status codes one request's reference can be sent in 24 hours.
  public var maxCodesPerDay: Int
  public var regimes: [String: Regime]
  public var defaultRegime: String
  public var regimeCountries: [String: String]
  public var complaints: [String: String]
  /// Per request type (`access`, ...): its title, what it does, and who carries it out.
  public var types: [String: RequestType]

  public struct RequestType: Sendable, Equatable, Decodable {
    public var title: String
    public var does: String
    /// `automatic` (the engine carries it out) or `officer`.
    public var fulfilment: String
  }

  /// The regime a country's requests follow.
  public func regime(for country: String?) -> Regime {
    let id = country.flatMap { regimeCountries[$0.uppercased()] } ?? defaultRegime
    return regimes[id] ?? regimes[defaultRegime] ?? Regime(id: "popia", name: "POPIA", days: 30, extensionDays: 30)
  }

  /// Where a person in a country complains.
  public func complaintRoute(for country: String?) -> String {
    if let country, let route = complaints[country.uppercased()] { return route }
    if regime(for: country).id == "gdpr", let route = complaints["gdpr"] { return route }
    return complaints["default"] ?? ""
  }

  static func load(home: URL) throws(EngineError) -> RequestSettings {
    let url = home.appendingPathComponent("knowledge/requests.yaml")
    let name = DataFiles.relative(url, to: home)
    let file: File = try DataFiles.decodeYAML(url, home: home)
    var regimes: [String: Regime] = [:]
    for (id, entry) in file.regimes {
      guard (entry.months == nil) != (entry.days == nil) else {
        throw .invalidData(file: name, line: nil, reason: "regime '\(id)' needs either months or days")
      }
      regimes[id] = Regime(
        id: id, name: entry.name, months: entry.months, days: entry.days, extensionMonths: entry.extensionMonths,
        extensionDays: entry.extensionDays)
    }
    var countries: [String: String] = [:]
    for (id, codes) in file.regimeByCountry where id != "default" {
      guard case .list(let list) = codes, regimes[id] != nil else {
        throw .invalidData(file: name, line: nil, reason: "regimeByCountry: '\(id)' is not a regime with a list")
      }
      for code in list { countries[code.uppercased()] = id }
    }
    guard case .name(let fallback)? = file.regimeByCountry["default"], regimes[fallback] != nil else {
      throw .invalidData(file: name, line: nil, reason: "regimeByCountry.default must name a regime")
    }
    for type in [
      "access", "portability", "erasure", "correction", "restriction", "objection", "withdraw_consent",
      "complaint", "human_review",
    ] where file.types[type] == nil {
      throw .invalidData(file: name, line: nil, reason: "types: '\(type)' is missing")
    }
    let verification = file.verification
    guard (4...10).contains(verification.digits), verification.lifetimeMinutes > 0, verification.maxAttempts > 0,
      verification.maxCodesPerDay > 0
    else {
      throw .invalidData(
        file: name, line: nil, reason: "verification: digits 4 to 10, positive life, attempts and codes per day")
    }
    return RequestSettings(
      codeDigits: verification.digits, codeLifetime: TimeInterval(verification.lifetimeMinutes) * 60,
      maxAttempts: verification.maxAttempts, maxCodesPerDay: verification.maxCodesPerDay, regimes: regimes,
      defaultRegime: fallback, regimeCountries: countries,
      complaints: file.complaints, types: file.types)
  }

  private struct File: Decodable {
    var verification: Verification
    var regimes: [String: RegimeEntry]
    var regimeByCountry: [String: NameOrList]
    var complaints: [String: String]
    var types: [String: RequestType]
  }

  private struct Verification: Decodable {
    var digits: Int
    var lifetimeMinutes: Int
    var maxAttempts: Int
    var maxCodesPerDay: Int
  }

  private struct RegimeEntry: Decodable {
    var name: String
    var months: Int?
    var days: Int?
    var extensionMonths: Int?
    var extensionDays: Int?
  }

  private enum NameOrList: Decodable {
    case name(String)
    case list([String])

    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let list = try? container.decode([String].self) {
        self = .list(list)
      } else {
        self = .name(try container.decode(String.self))
      }
    }
  }
}
