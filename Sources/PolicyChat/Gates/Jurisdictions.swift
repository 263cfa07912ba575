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
  /// Every code that is a country: what the operating system lists, less its groupings
  /// and the codes `notCountries` names (EU, EZ, UN, IC, ...).
  let countryCodes: Set<String>
  /// Normalised country names and aliases ("germany", "deutschland", "uk") → code.
  let codesByName: [String: String]
  /// Parts of countries and groups of countries, by id (`US-CA`, `EU`).
  public let regions: [String: Region]
  /// Normalised region names ("california", "european union") → region id.
  let regionsByName: [String: String]

  /// The rule for a country (ISO 3166-1 alpha-2, any case). An unknown country, or a code
  /// that is not a country (EU), gets the strictest rule that could apply: the highest
  /// ages of any jurisdiction, until the person says where they are.
  public func rule(for country: String?) -> AgeRule {
    guard let code = country?.uppercased(), isCountry(code) else { return strictest }
    return countries[code] ?? fallback
  }

  /// The rule for a country if it is known; else, when the person named a group of
  /// countries (the European Union) but not which one, the strictest of its countries'.
  public func rule(for country: String?, within region: String?) -> AgeRule {
    guard country == nil, let region, let group = regions[region], case .group(let members) = group.kind else {
      return rule(for: country)
    }
    return Self.strictest(
      of: members.map { rule(for: $0) }, fallback: fallback,
      source: "the strictest rule of the countries of \(group.name), as the country in it is unknown")
  }

  /// The highest service and consent ages of all jurisdictions.
  public var strictest: AgeRule {
    Self.strictest(
      of: [fallback] + countries.values, fallback: fallback,
      source: "the strictest rule of knowledge/jurisdictions.yaml, as the country is unknown")
  }

  private static func strictest(of rules: [AgeRule], fallback: AgeRule, source: String) -> AgeRule {
    AgeRule(
      serviceAge: rules.map(\.serviceAge).max() ?? fallback.serviceAge,
      consentAge: rules.map(\.consentAge).max() ?? fallback.consentAge, source: source, since: nil,
      unverified: false)
  }

  /// Whether a code (any case) is a country's: never a grouping like EU or UN.
  public func isCountry(_ code: String) -> Bool {
    countryCodes.contains(code.uppercased())
  }

  /// The country a code stands for, in upper case; nil for anything else ("EU", "ZZ").
  public func countryCode(_ text: String) -> String? {
    let code = text.trimmingCharacters(in: .whitespaces).uppercased()
    return isCountry(code) ? code : nil
  }

  static func load(home: URL) throws(EngineError) -> Jurisdictions {
    let url = home.appendingPathComponent("knowledge/jurisdictions.yaml")
    let name = DataFiles.relative(url, to: home)
    let file: File = try DataFiles.decodeYAML(url, home: home)
    guard file.unknownCountry == "strictest" else {
      throw .invalidData(file: name, line: nil, reason: "unknownCountry must be 'strictest'")
    }
    let notCountries = Set((file.notCountries ?? [:]).keys)
    for code in notCountries where !Self.isTwoLetterCode(code) {
      throw .invalidData(file: name, line: nil, reason: "notCountries: '\(code)' is not a two-letter code")
    }
    let countryCodes = Self.listedCountries.subtracting(notCountries)
    let fallback = file.default.rule(defaultServiceAge: file.default.serviceAge ?? 13)
    var countries: [String: AgeRule] = [:]
    for (code, entry) in file.countries {
      guard Self.isTwoLetterCode(code) else {
        throw .invalidData(file: name, line: nil, reason: "'\(code)' is not an ISO 3166-1 alpha-2 code")
      }
      guard countryCodes.contains(code) else {
        throw .invalidData(file: name, line: nil, reason: "'\(code)' is not a country (see notCountries and regions)")
      }
      let rule = entry.rule(defaultServiceAge: fallback.serviceAge)
      guard rule.serviceAge <= rule.consentAge || rule.serviceAge == fallback.serviceAge else {
        throw .invalidData(file: name, line: nil, reason: "\(code): serviceAge is above consentAge")
      }
      countries[code] = rule
    }
    var codesByName: [String: String] = [:]
    for code in countryCodes {
      if let name = Self.english.localizedString(forRegionCode: code) {
        codesByName[RegionReader.key(name)] = code
      }
    }
    for (code, names) in file.names ?? [:] {
      guard countryCodes.contains(code) else {
        throw .invalidData(file: name, line: nil, reason: "names: '\(code)' is not a country's code")
      }
      for alias in names { codesByName[RegionReader.key(alias)] = code }
    }
    let reader = RegionReader(
      file: name, entries: file.regions ?? [:], isCountry: countryCodes.contains, countryNames: Set(codesByName.keys))
    return Jurisdictions(
      checked: file.checked, fallback: fallback, countries: countries, countryCodes: countryCodes,
      codesByName: codesByName, regions: try reader.regions(), regionsByName: try reader.names())
  }

  /// What a name stands for: a country ("Germany", "the UK", "Deutschland"), a part of one
  /// ("California") or a group of countries ("the EU"), if any. A country's name wins.
  public func place(named name: String) -> Place? {
    let key = RegionReader.key(name)
    if let code = codesByName[key] { return .country(code) }
    if let id = regionsByName[key], let region = regions[id] { return .region(region) }
    return nil
  }

  /// The place a form's or a command's text names: a country's code ("de"), else a name
  /// ("Germany", "California", "the EU").
  public func place(for text: String) -> Place? {
    countryCode(text).map(Place.country) ?? place(named: text)
  }

  /// The country a name stands for, also through a part of it ("California" → US); nil
  /// for a group of countries, which does not say which one.
  public func code(forName name: String) -> String? {
    place(named: name)?.country
  }

  /// A country's English name ("DE" → "Germany"), or a region's ("EU" → "the European
  /// Union"); the code itself when unknown.
  public func name(of code: String) -> String {
    if let region = regions[code] { return region.name }
    let name = Self.english.localizedString(forRegionCode: code) ?? code
    // "You live in the United States", not "in United States".
    return ["US", "GB", "NL", "AE"].contains(code) ? "the " + name : name
  }

  /// How a reply names a place: "Germany", "the European Union", "California".
  public func name(of place: Place) -> String {
    switch place {
    case .country(let code): name(of: code)
    case .region(let region): region.name
    }
  }

  private static let english = Locale(identifier: "en")

  /// The two-letter codes the operating system lists as single places: a grouping (EU,
  /// UN, QO, with regions of its own) or a code placed in no continent is not a country.
  private static let listedCountries: Set<String> = Set(
    Locale.Region.isoRegions.lazy
      .filter { isTwoLetterCode($0.identifier) && $0.subRegions.isEmpty && $0.containingRegion != nil }
      .map(\.identifier))

  private static func isTwoLetterCode(_ code: String) -> Bool {
    code.count == 2 && code.allSatisfy { $0.isASCII && $0.isUppercase }
  }

  private struct File: Decodable {
    var checked: String
    var `default`: Entry
    var unknownCountry: String
    var countries: [String: Entry]
    var names: [String: [String]]?
    /// Code → what it is, for the reader; only the codes matter to the engine.
    var notCountries: [String: String]?
    var regions: [String: RegionEntry]?
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
