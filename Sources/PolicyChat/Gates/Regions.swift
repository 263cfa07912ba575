import Foundation

/// A place people name that is not a country (`regions:` in knowledge/jurisdictions.yaml):
/// a part of one country ("California", "Scotland") or a group of countries ("the
/// European Union", "Europe").
public struct Region: Sendable, Equatable {
  /// What the region is made of.
  public enum Kind: Sendable, Equatable {
    /// A part of one country (ISO 3166-1 alpha-2), whose rules apply.
    case part(of: String)
    /// Countries whose rules differ, with nested groups flattened.
    case group(members: Set<String>)
  }

  /// `EU`, `Europe`, or the ISO 3166-2 code of a part of a country (`US-CA`).
  public let id: String
  /// How a reply names it: "the European Union", "California".
  public let name: String
  public let kind: Kind

  /// The country a part belongs to; nil for a group, which does not settle the country.
  public var country: String? {
    if case .part(let country) = kind { return country }
    return nil
  }
}

/// What a name the person typed stands for.
public enum Place: Sendable, Equatable {
  case country(String)
  case region(Region)

  /// The country whose rules apply, when the place settles it (a country or a part of one).
  public var country: String? {
    switch self {
    case .country(let code): code
    case .region(let region): region.country
    }
  }
}

/// How an entry of `regions:` is written.
struct RegionEntry: Decodable {
  var name: String
  var names: [String]?
  var country: String?
  var members: [String]?
}

/// Reads and checks `regions:`, so that a mistake there stops the engine with the file's
/// name instead of sending a person to the wrong rules.
struct RegionReader {
  let file: String
  let entries: [String: RegionEntry]
  let isCountry: (String) -> Bool
  /// Normalised country names: a region may not take one ("georgia" is the country).
  let countryNames: Set<String>

  func regions() throws(EngineError) -> [String: Region] {
    var regions: [String: Region] = [:]
    for (id, entry) in entries {
      regions[id] = try region(id, entry)
    }
    return regions
  }

  /// Every normalised name of every region → its id; two regions may not share a name.
  func names() throws(EngineError) -> [String: String] {
    var ids: [String: String] = [:]
    for (id, entry) in entries.sorted(by: { $0.key < $1.key }) {
      for alias in entry.names ?? [] where countryNames.contains(Self.key(alias)) {
        throw invalid("'\(id)' names '\(alias)', which is a country's name")
      }
      let display = Self.key(entry.name)
      let all = (countryNames.contains(display) ? [] : [display]) + (entry.names ?? []).map(Self.key)
      for alias in Set(all) {
        if let other = ids[alias], other != id { throw invalid("'\(other)' and '\(id)' are both named '\(alias)'") }
        ids[alias] = id
      }
    }
    return ids
  }

  /// A name as it is looked up: normalised, without a leading "the".
  static func key(_ name: String) -> String {
    let words = TextNormalizer.normalize(name)
    return words.hasPrefix("the ") ? String(words.dropFirst(4)) : words
  }

  private func region(_ id: String, _ entry: RegionEntry) throws(EngineError) -> Region {
    guard !isCountry(id) else { throw invalid("'\(id)' is a country, not a region") }
    switch (entry.country, entry.members) {
    case (let country?, nil):
      guard isCountry(country) else { throw invalid("'\(id)': '\(country)' is not a country code") }
      if id.contains("-"), !id.hasPrefix(country + "-") {
        throw invalid("'\(id)' is an ISO 3166-2 code of another country than '\(country)'")
      }
      return Region(id: id, name: entry.name, kind: .part(of: country))
    case (nil, _?):
      return Region(id: id, name: entry.name, kind: .group(members: try members(of: id, seen: [])))
    default:
      throw invalid("'\(id)' needs either `country` (a part of one country) or `members` (a group), not both")
    }
  }

  /// The countries of a group, through the groups it names; a group may not contain itself.
  private func members(of id: String, seen: Set<String>) throws(EngineError) -> Set<String> {
    guard !seen.contains(id) else { throw invalid("'\(id)' contains itself through its members") }
    guard let listed = entries[id]?.members, !listed.isEmpty else {
      throw invalid("'\(id)' has no members")
    }
    var countries: Set<String> = []
    for member in listed {
      if isCountry(member) {
        countries.insert(member)
      } else if entries[member]?.members != nil {
        countries.formUnion(try members(of: member, seen: seen.union([id])))
      } else {
        throw invalid("'\(id)': member '\(member)' is neither a country code nor a group of regions")
      }
    }
    return countries
  }

  private func invalid(_ reason: String) -> EngineError {
    .invalidData(file: file, line: nil, reason: "regions: " + reason)
  }
}
