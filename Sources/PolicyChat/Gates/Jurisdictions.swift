import Foundation
import Yams

/// The ages that gate collection, by country: `knowledge/jurisdictions.yaml`.
public struct Jurisdictions: Sendable {
  /// The ages of one jurisdiction and where they come from.
  public struct AgeRule: Sendable, Equatable {
    /// Below it, nothing about the person is collected or kept.
    public var serviceAge: Int
    /// Below it, personal data needs a parent's verified consent.
    public var consentAge: Int
    public var source: String
    /// The day the rule took effect, if it matters.
    public var since: String?
    /// Kept configurable until confirmed.
    public var unverified: Bool
  }

  public let checked: String
  public let fallback: AgeRule
  public let countries: [String: AgeRule]
  /// Normalised country names and aliases ("germany", "deutschland", "uk") → code.
  let codesByName: [String: String]

  /// The rule for a country (ISO 3166-1 alpha-2, any case). An unknown country gets the
  /// strictest rule that could apply: the highest ages of any jurisdiction, until the
  /// person says where they are.
  public func rule(for country: String?) -> AgeRule {
    guard let code = country?.uppercased(), !code.isEmpty else { return strictest }
    return countries[code] ?? fallback
  }

  /// The highest service and consent ages of all jurisdictions.
  public var strictest: AgeRule {
    let rules = [fallback] + countries.values
    return AgeRule(
      serviceAge: rules.map(\.serviceAge).max() ?? fallback.serviceAge,
      consentAge: rules.map(\.consentAge).max() ?? fallback.consentAge,
      source: "the strictest rule of knowledge/jurisdictions.yaml, as the country is unknown", since: nil,
      unverified: false)
  }

  static func load(home: URL) throws(EngineError) -> Jurisdictions {
    let url = home.appendingPathComponent("knowledge/jurisdictions.yaml")
    let name = DataFiles.relative(url, to: home)
    let file: File = try DataFiles.decodeYAML(url, home: home)
    guard file.unknownCountry == "strictest" else {
      throw .invalidData(file: name, line: nil, reason: "unknownCountry must be 'strictest'")
    }
    let fallback = file.default.rule(defaultServiceAge: file.default.serviceAge ?? 13)
    var countries: [String: AgeRule] = [:]
    for (code, entry) in file.countries {
      guard code.count == 2, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
        throw .invalidData(file: name, line: nil, reason: "'\(code)' is not an ISO 3166-1 alpha-2 code")
      }
      let rule = entry.rule(defaultServiceAge: fallback.serviceAge)
      guard rule.serviceAge <= rule.consentAge || rule.serviceAge == fallback.serviceAge else {
        throw .invalidData(file: name, line: nil, reason: "\(code): serviceAge is above consentAge")
      }
      countries[code] = rule
    }
    var codesByName: [String: String] = [:]
    for region in Locale.Region.isoRegions where Self.isCountryCode(region.identifier) {
      if let name = Self.english.localizedString(forRegionCode: region.identifier) {
        codesByName[TextNormalizer.normalize(name)] = region.identifier
      }
    }
    for (code, names) in file.names ?? [:] {
      guard Self.isCountryCode(code) else {
        throw .invalidData(file: name, line: nil, reason: "names: '\(code)' is not an ISO 3166-1 alpha-2 code")
      }
      for alias in names { codesByName[TextNormalizer.normalize(alias)] = code }
    }
    return Jurisdictions(checked: file.checked, fallback: fallback, countries: countries, codesByName: codesByName)
  }

  /// The country a name stands for ("Germany", "the UK", "Deutschland"), if any.
  public func code(forName name: String) -> String? {
    var words = TextNormalizer.normalize(name)
    if words.hasPrefix("the ") { words.removeFirst(4) }
    return codesByName[words] ?? codesByName["the " + words]
  }

  /// A country's English name ("DE" → "Germany"); the code itself when unknown.
  public func name(of code: String) -> String {
    let name = Self.english.localizedString(forRegionCode: code) ?? code
    // "You live in the United States", not "in United States".
    return ["US", "GB", "NL", "AE"].contains(code) ? "the " + name : name
  }

  private static let english = Locale(identifier: "en")

  private static func isCountryCode(_ code: String) -> Bool {
    code.count == 2 && code.allSatisfy { $0.isASCII && $0.isUppercase }
  }

  private struct File: Decodable {
    var checked: String
    var `default`: Entry
    var unknownCountry: String
    var countries: [String: Entry]
    var names: [String: [String]]?
  }

  private struct Entry: Decodable {
    var serviceAge: Int?
    var consentAge: Int
    var source: String
    var since: String?
    var unverified: Bool?

    func rule(defaultServiceAge: Int) -> AgeRule {
      AgeRule(
        serviceAge: serviceAge ?? defaultServiceAge, consentAge: consentAge, source: source, since: since,
        unverified: unverified ?? false)
    }
  }
}
