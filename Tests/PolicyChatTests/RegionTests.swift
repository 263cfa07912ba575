import Foundation
import PolicyChat
import Testing

/// Countries and the places that are not countries (knowledge/jurisdictions.yaml, `regions:`).
@Suite struct RegionTests {
  private let jurisdictions = TestEngine.shared.jurisdictions

  @Test(arguments: ["EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "IC", "EA", "AC", "TA", "DG", "CP", "CQ", "eu"])
  func aGroupingOrAReservedCodeIsNeverACountry(code: String) {
    #expect(!jurisdictions.isCountry(code))
    #expect(jurisdictions.countryCode(code) == nil)
    // Not a country means the strictest rule, never the default floor of 13.
    #expect(jurisdictions.rule(for: code) == jurisdictions.strictest)
  }

  @Test func onlyTheOperatingSystemsSinglePlacesAreCountries() {
    let listed = Locale.Region.isoRegions.map(\.identifier).filter { $0.count == 2 }
    let countries = listed.filter(jurisdictions.isCountry)
    #expect(countries.count >= 249, "ISO 3166-1 assigns 249 codes")
    for code in ["DE", "ZA", "US", "GB", "FR", "KE", "XK"] { #expect(countries.contains(code)) }
  }

  @Test(arguments: ["European Union", "the EU", "EU", "european union"])
  func theEuropeanUnionIsAGroupNotACountry(name: String) throws {
    #expect(jurisdictions.code(forName: name) == nil)
    let place = try #require(jurisdictions.place(named: name))
    guard case .region(let region) = place, case .group(let members) = region.kind else {
      Issue.record("\(name) is \(place)")
      return
    }
    #expect(region.id == "EU")
    #expect(region.name == "the European Union")
    #expect(members.count == 27)
    #expect(members.contains("DE") && !members.contains("GB") && !members.contains("NO"))
  }

  @Test(arguments: [
    ("California", "US"), ("new york", "US"), ("Washington DC", "US"), ("Scotland", "GB"), ("England", "GB"),
    ("Northern Ireland", "GB"), ("Wales", "GB"), ("Ontario", "CA"), ("Quebec", "CA"), ("New South Wales", "AU"),
    ("Bavaria", "DE"), ("Bayern", "DE"), ("Nordrhein-Westfalen", "DE"), ("the Canary Islands", "ES"),
  ])
  func aPartOfACountryStandsForTheCountry(name: String, country: String) throws {
    #expect(jurisdictions.code(forName: name) == country)
    let place = try #require(jurisdictions.place(named: name))
    #expect(place.country == country)
    guard case .region(let region) = place else {
      Issue.record("\(name) should be a region, not a country")
      return
    }
    #expect(region.kind == .part(of: country))
  }

  @Test func aCountrysNameMeansTheCountryNotARegion() {
    // The US state of Georgia is written "georgia usa"; "Georgia" alone is the country.
    #expect(jurisdictions.place(named: "Georgia") == .country("GE"))
    #expect(jurisdictions.code(forName: "georgia usa") == "US")
    #expect(jurisdictions.place(named: "Jersey") == .country("JE"))
    #expect(jurisdictions.code(forName: "New Jersey") == "US")
  }

  @Test(arguments: [("EU", 16), ("EEA", 16), ("Europe", 16), ("EZ", 16), ("Scandinavia", 15), ("Benelux", 16)])
  func aGroupIsJudgedByItsStrictestMember(region: String, consentAge: Int) {
    let rule = jurisdictions.rule(for: nil, within: region)
    #expect(rule.consentAge == consentAge)
    #expect(rule.serviceAge == 13)
    #expect(rule.source.contains("strictest"))
  }

  @Test func aKnownCountryWinsOverTheGroupItIsIn() {
    #expect(jurisdictions.rule(for: "FR", within: "EU").consentAge == 15)
    #expect(jurisdictions.rule(for: "BE", within: "EU").consentAge == 13)
  }

  @Test func noGroupIsJudgedByTheDefaultFloor() {
    for (id, region) in jurisdictions.regions {
      guard case .group = region.kind else { continue }
      #expect(jurisdictions.rule(for: nil, within: id).consentAge > jurisdictions.fallback.consentAge, "\(id)")
    }
  }

  @Test func aPartIsNotAGroupAndAnUnknownRegionIsTheStrictestOfAll() {
    #expect(jurisdictions.rule(for: nil, within: "US-CA") == jurisdictions.strictest)
    #expect(jurisdictions.rule(for: nil, within: "Atlantis") == jurisdictions.strictest)
    #expect(jurisdictions.rule(for: nil, within: nil).consentAge == 18)
  }

  @Test func regionsAreNamedInReplies() {
    #expect(jurisdictions.name(of: "EU") == "the European Union")
    #expect(jurisdictions.name(of: "DE") == "Germany")
  }
}
