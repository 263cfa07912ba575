import Foundation
import PolicyChat
import Testing

/// The age screen's country question when the answer is not a country: a group of
/// countries, a part of one, something unknown, or another question.
@Suite struct RegionConversationTests {
  private func screening(_ request: String = "please delete my data") throws -> (Engine, String) {
    let engine = try TestEngine.make()
    let id = try engine.openSession().sessionId
    #expect(try engine.send(request, to: id).intent == "age.ask_country")
    return (engine, id)
  }

  @Test func aFourteenYearOldInTheEuropeanUnionDoesNotPassAsAnAdult() throws {
    let (engine, id) = try screening()
    let asked = try engine.send("European Union", to: id)
    #expect(asked.intent == "age.ask_country_in_region")
    #expect(asked.text.contains("Which country in the European Union do you live in?"))
    #expect(!asked.text.contains { $0.isNumber }, "the question must not name an age: \(asked.text)")
    #expect(asked.state.ageGate == "asking")
    #expect(asked.state.region == "EU")
    #expect(asked.state.country == nil)

    let outcome = try engine.send("14", to: id)
    #expect(outcome.state.ageGate == "needs_parental_consent")
    #expect(outcome.decision?.facts?["consentAge"] == "16")
    #expect(outcome.decision?.facts?["region"] == "EU")
    #expect(outcome.text.contains("the strictest rules of the countries of the European Union"))
  }

  @Test func notSayingWhichCountryOfTheEUAppliesItsStrictestRuleNotTheDefault() throws {
    let (engine, id) = try screening()
    _ = try engine.send("the EU", to: id)
    let declined = try engine.send("I don't know", to: id)
    #expect(declined.intent == "country.region_unknown")
    #expect(declined.state.region == "EU")
    let outcome = try engine.send("I'm 15", to: id)
    #expect(outcome.state.ageGate == "needs_parental_consent")
    #expect(outcome.decision?.facts?["consentAge"] == "16")
    // Sixteen passes in every EU country, and under the strictest of all would not.
    let (other, second) = try screening()
    _ = try other.send("EU", to: second)
    _ = try other.send("I'd rather not say", to: second)
    #expect(try other.send("I'm 16", to: second).state.ageGate == "adult")
  }

  @Test func europeAtTheCountryQuestionAsksAgainAndTheRequestStillWaits() throws {
    let (engine, id) = try screening()
    let asked = try engine.send("Europe", to: id)
    #expect(asked.intent == "age.ask_country_in_region")
    #expect(asked.text.contains("Which country in Europe do you live in?"))
    let country = try engine.send("Germany", to: id)
    #expect(country.intent == "country.set")
    #expect(country.state.country == "DE")
    #expect(country.state.region == nil)
    let adult = try engine.send("1990-01-01", to: id)
    #expect(adult.state.ageGate == "adult")
    #expect(adult.intent == "request.erasure", "the erasure asked for before the screen goes on")
  }

  @Test(arguments: ["Narnia", "somewhere", "the EU", "Europe", "eu"])
  func aShortAnswerTheScreenCannotUseKeepsTheQuestion(answer: String) throws {
    let (engine, id) = try screening()
    let turn = try engine.send(answer, to: id)
    #expect(turn.intent == "age.reask_country" || turn.intent == "age.ask_country_in_region")
    #expect(turn.state.ageGate == "asking")
    #expect(try engine.send("France", to: id).intent == "country.set")
  }

  @Test func aPolicyQuestionAtTheCountryQuestionIsAnsweredAndTheRequestStillWaits() throws {
    let (engine, id) = try screening()
    let answered = try engine.send("How long do you keep my data and who do you share it with?", to: id)
    #expect(answered.intent.hasPrefix("policy."))
    #expect(answered.text.contains("Your request is still waiting for your answer. Which country do you live in?"))
    #expect(answered.state.ageGate == "asking")
    _ = try engine.send("South Africa", to: id)
    let child = try engine.send("2010-06-01", to: id)
    #expect(child.state.ageGate == "needs_parental_consent")
    #expect(child.decision?.facts?["country"] == "ZA")
  }

  @Test func aPolicyQuestionAtTheDateOfBirthQuestionIsAnsweredAndTheRequestStillWaits() throws {
    let engine = try TestEngine.make()
    let id = try engine.openSession(SessionOptions(country: "DE")).sessionId
    #expect(try engine.send("please delete my data", to: id).intent == "age.ask_birth")
    let answered = try engine.send("What cookies do you use on the website?", to: id)
    #expect(answered.intent.hasPrefix("policy."))
    #expect(answered.text.contains("Your request is still waiting for your answer. What is your date of birth?"))
    #expect(answered.state.ageGate == "asking")
    #expect(try engine.send("1990-01-01", to: id).intent == "request.erasure")
  }

  @Test func aPartOfACountryAtTheQuestionIsThatCountry() throws {
    let (engine, id) = try screening()
    let turn = try engine.send("California", to: id)
    #expect(turn.intent == "country.set_part")
    #expect(
      turn.text.contains("California is part of the United States, so I'll apply the rules for the United States."))
    #expect(turn.state.country == "US")
    #expect(turn.text.contains("And what is your date of birth?"))
  }

  @Test(arguments: ["EU", "EZ", "UN", "ZZ", "XA", "IC"])
  func aRegionsCodeFromTheHostIsAnUnknownCountry(code: String) throws {
    let engine = try TestEngine.make()
    let id = try engine.openSession(SessionOptions(country: code)).sessionId
    #expect(try engine.send("please delete my data", to: id).intent == "age.ask_country")
    _ = try engine.send("I'd rather not say", to: id)
    let outcome = try engine.send("I'm 15", to: id)
    #expect(outcome.decision?.facts?["consentAge"] == "18")
  }

  @Test(arguments: ["EU", "European Union", "Europe", "the EEA"])
  func settingAGroupOfCountriesIsInvalidInputForTheCountry(country: String) throws {
    let engine = try TestEngine.make()
    let id = try engine.openSession().sessionId
    #expect {
      try engine.perform(.setCountry(country), in: id)
    } throws: { error in
      guard case EngineError.invalidInput(let field, let reason) = error else { return false }
      return field == "country" && reason.hasPrefix("a country, not a group of countries")
    }
  }

  @Test(arguments: [("Bavaria", "DE"), ("Scotland", "GB"), ("de", "DE")])
  func settingAPartOfACountrySetsTheCountry(name: String, code: String) throws {
    let engine = try TestEngine.make()
    let id = try engine.openSession().sessionId
    #expect(try engine.perform(.setCountry(name), in: id).state.country == code)
  }

  @Test func slashCountryWithAGroupAsksWhichCountryAndKeepsTheRequest() throws {
    let (engine, id) = try screening()
    let asked = try engine.send("/country EU", to: id)
    #expect(asked.intent == "age.ask_country_in_region")
    #expect(try engine.send("/country Narnia", to: id).intent == "age.reask_country")
    _ = try engine.send("/country Italy", to: id)
    #expect(try engine.send("1990-01-01", to: id).intent == "request.erasure")
  }

  @Test func sayingTheEUOutsideTheScreenAsksWhichCountry() throws {
    let engine = try TestEngine.make()
    let id = try engine.openSession().sessionId
    let turn = try engine.send("I live in the EU", to: id)
    #expect(turn.intent == "age.ask_country_in_region")
    #expect(turn.state.region == "EU")
    #expect(try engine.send("Spain", to: id).state.country == "ES")
  }
}
