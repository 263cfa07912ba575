import Foundation
import Yams

/// Consent purposes, how long a consent lasts per country, and how long each kind of record
/// is kept: `knowledge/consent.yaml`.
public struct ConsentCatalog: Sendable {
  /// One thing PolicyChat may do with a conversation, with what a person needs to decide.
  public struct Purpose: Sendable, Equatable {
    public var id: String
    public var title: String
    public var description: String
    public var legalBasis: String
    /// False only for `essential`, which the service cannot run without.
    public var needsConsent: Bool
    public var retentionDays: Int
    public var piiCategory: [String]
    /// Do Not Track and Global Privacy Control count as a refusal of it.
    public var refusedBySignals: Bool
    /// Words that name it in a message ("logging", "newsletter").
    public var words: [String]
    /// The phrases suggested for turning it on and off.
    public var on: String
    public var off: String
    /// Whether it stores or reads something on the person's device (TTDSG/TDDDG §25(1)):
    /// one of the choices of the cookie preferences.
    public var cookies = false
  }

  /// How long records outside the purposes are kept, in days.
  public struct Retention: Sendable, Equatable, Decodable {
    public var consents: Int
    public var decisions: Int
    public var parentalConsentsEnded: Int
    public var challenges: Int
    public var deletionLog: Int
  }

  /// In file order, `essential` first.
  public let purposes: [Purpose]
  public let defaultValidityMonths: Int
  public let validityMonths: [String: Int]
  public let retention: Retention

  public func purpose(_ id: String) -> Purpose? {
    purposes.first { $0.id == id }
  }

  /// The purposes a message names, longest word first so that "keep my chats" wins.
  func purposes(namedIn normalized: String) -> [Purpose] {
    let padded = " " + normalized + " "
    return purposes.filter { purpose in
      purpose.needsConsent
        && (padded.contains(" " + purpose.id.replacingOccurrences(of: "_", with: " ") + " ")
          || purpose.words.contains { padded.contains(" " + TextNormalizer.normalize($0) + " ") })
    }
  }

  /// How many months a consent given in a country lasts.
  public func validity(for country: String?) -> Int {
    country.flatMap { validityMonths[$0.uppercased()] } ?? defaultValidityMonths
  }

  static func load(home: URL) throws(EngineError) -> ConsentCatalog {
    let url = home.appendingPathComponent("knowledge/consent.yaml")
    let name = DataFiles.relative(url, to: home)
    let text = try DataFiles.read(url, relativeTo: home)
    let file: File
    let order: [String]
    do {
      file = try NodeDecoder.decode(File.self, from: text)
      // The file's order of purposes, which a decoded dictionary loses.
      order =
        try Yams.compose(yaml: text, .default, .default, .utf8)?["purposes"]?.mapping?.keys.compactMap(\.string) ?? []
    } catch {
      throw YAMLErrors.describe(error, file: name)
    }
    var purposes: [Purpose] = []
    for id in order {
      guard let entry = file.purposes[id] else { continue }
      guard entry.retentionDays > 0 else {
        throw .invalidData(file: name, line: nil, reason: "purpose '\(id)': retentionDays must be positive")
      }
      purposes.append(
        Purpose(
          id: id, title: entry.title, description: entry.description, legalBasis: entry.legalBasis,
          needsConsent: entry.needsConsent ?? true, retentionDays: entry.retentionDays,
          piiCategory: entry.piiCategory ?? [], refusedBySignals: entry.refusedBySignals ?? false,
          words: entry.words ?? [], on: entry.turnOn ?? "", off: entry.turnOff ?? "", cookies: entry.cookies ?? false))
    }
    for required in ["essential", "session_logging", "analytics", "marketing", "personalisation", "improvement"]
    where !purposes.contains(where: { $0.id == required }) {
      throw .invalidData(file: name, line: nil, reason: "purpose '\(required)' is missing")
    }
    guard purposes.first(where: { $0.id == "essential" })?.needsConsent == false else {
      throw .invalidData(file: name, line: nil, reason: "'essential' must have needsConsent: false")
    }
    let months = [file.validity.defaultMonths] + Array(file.validity.countries?.values ?? [:].values)
    guard months.allSatisfy({ (1...24).contains($0) }) else {
      throw .invalidData(file: name, line: nil, reason: "validity months must be between 1 and 24")
    }
    return ConsentCatalog(
      purposes: purposes, defaultValidityMonths: file.validity.defaultMonths,
      validityMonths: file.validity.countries ?? [:], retention: file.retention)
  }

  private struct File: Decodable {
    var validity: Validity
    var purposes: [String: Entry]
    var retention: Retention
  }

  private struct Validity: Decodable {
    var defaultMonths: Int
    var countries: [String: Int]?
  }

  private struct Entry: Decodable {
    var title: String
    var description: String
    var legalBasis: String
    var needsConsent: Bool?
    var retentionDays: Int
    var piiCategory: [String]?
    var refusedBySignals: Bool?
    var words: [String]?
    var turnOn: String?
    var turnOff: String?
    var cookies: Bool?
  }
}
