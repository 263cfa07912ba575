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
  /// Per request type, its fulfilment as `fulfilment:` chose it.
  var rights: [String: ChosenRight]

  public struct RequestType: Sendable, Equatable, Decodable {
    public var title: String
    public var does: String
    /// `automatic` (the engine carries it out) or `officer`.
    public var fulfilment: String
  }

  /// What a right does once verified, and who does it.
  func right(_ type: String) -> ChosenRight? {
    rights[type]
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

  static func load(home: URL, rights registry: RightRegistry = .standard) throws(EngineError) -> RequestSettings {
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
    let rights = try choose(file.types, from: registry, url: url, home: home)
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
      complaints: file.complaints, types: file.types, rights: rights)
  }

  /// Each type's fulfilment, refusing a type no fulfilment is known for and `automatic`
  /// for a right the engine cannot carry out itself (with the line of the entry).
  private static func choose(
    _ types: [String: RequestType], from registry: RightRegistry, url: URL, home: URL
  ) throws(EngineError) -> [String: ChosenRight] {
    let name = DataFiles.relative(url, to: home)
    var chosen: [String: ChosenRight] = [:]
    for (type, entry) in types.sorted(by: { $0.key < $1.key }) {
      guard let fulfilment = registry[type] else {
        throw .invalidData(
          file: name, line: try line(ofType: type, url: url, home: home),
          reason:
            "types: no fulfilment is known for '\(type)' (known: \(registry.fulfilments.keys.sorted().joined(separator: ", ")))"
        )
      }
      switch entry.fulfilment {
      case "officer":
        chosen[type] = ChosenRight(fulfilment: fulfilment, automatic: false)
      case "automatic" where fulfilment.canFulfilAutomatically:
        chosen[type] = ChosenRight(fulfilment: fulfilment, automatic: true)
      case "automatic":
        throw .invalidData(
          file: name, line: try line(ofType: type, url: url, home: home),
          reason: "types: '\(type)' has no automatic fulfilment; its fulfilment must be officer")
      default:
        throw .invalidData(
          file: name, line: try line(ofType: type, url: url, home: home),
          reason: "types: '\(type)' fulfilment must be automatic or officer, not '\(entry.fulfilment)'")
      }
    }
    return chosen
  }

  /// The line of a `types:` entry, read again only to report a mistake in it.
  private static func line(ofType type: String, url: URL, home: URL) throws(EngineError) -> Int? {
    let text = try DataFiles.read(url, relativeTo: home)
    guard let root = try? Yams.compose(yaml: text), let types = root["types"]?.mapping else { return nil }
    return types.first { $0.key.string == type }?.key.mark?.line
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
