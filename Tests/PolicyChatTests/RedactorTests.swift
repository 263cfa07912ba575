import Foundation
import PolicyChat
import Testing

/// The personal-data redactor (compliance.md §7): every kind in the forms people write it,
/// the look-alikes that must stay readable, and what a redaction reports.
@Suite struct RedactorTests {
  let redactor = Redactor()

  /// Redacts `value` inside a sentence and expects exactly that value to be replaced by the
  /// placeholder of `kind`, with a finding that points at it in the original.
  private func expectRedacted(
    _ value: String, as kind: PersonalDataKind, in sentence: String = "Hi, here it is: {} - thanks!",
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let text = sentence.replacingFirst("{}", with: value)
    let redaction = redactor.redact(text)
    #expect(
      redaction.text == sentence.replacingFirst("{}", with: kind.placeholder), "\(value)",
      sourceLocation: sourceLocation)
    #expect(redaction.findings.map(\.kind) == [kind], "\(value)", sourceLocation: sourceLocation)
    if let finding = redaction.findings.first {
      #expect(String(text[finding.range]) == value, sourceLocation: sourceLocation)
    }
  }

  /// Expects `text` to come back unchanged, with nothing found.
  private func expectIntact(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let redaction = redactor.redact(text)
    #expect(redaction.text == text, sourceLocation: sourceLocation)
    #expect(redaction.findings.isEmpty, "\(redaction.findings.map(\.kind))", sourceLocation: sourceLocation)
  }

  // MARK: - A value found once

  /// A second copy that its scanner reads differently by context is redacted all the same
  /// (found by fuzzing: the second card read as the middle of an IBAN that fails its check).
  @Test(arguments: [
    ("x 4111 1111 1111 1111 exp 34rd 4111 1111 1111 1111 exp 2", "x [card] exp 34rd [card] exp 2"),
    ("passport A12345678, again A12345678.", "passport [passport], again [passport]."),
  ])
  func aValueFoundOnceIsRedactedWhereverItStandsAlone(text: String, redacted: String) {
    #expect(redactor.redact(text).text == redacted)
  }

  @Test func aCopyInsideALongerWordIsNotAFinding() {
    #expect(redactor.redact("passport A12345678 and XA12345678").text == "passport [passport] and XA12345678")
  }

  // MARK: - South African ID numbers

  @Test(arguments: [
    "8001015009087", "800101 5009 087", "800101 5009087", "800101 5009 0 8 7", "800101 5009 08 7", "800101-5009-087",
    "8001015009186",  // C = 1
    "0002295001081",  // 29 February 2000
    "4511301234086",  // starts with 4 and passes Luhn like a Visa number, but is an ID first
    "9912310123184", "6506155100191",
  ])
  func idNumbersAreRedacted(value: String) {
    expectRedacted(value, as: .saIdNumber)
    expectRedacted(value, as: .saIdNumber, in: "{}")
    expectRedacted(value, as: .saIdNumber, in: "My ID is {}.")
  }

  @Test(arguments: [
    "8013015009082",  // month 13
    "8001325009082",  // 32 January
    "8002315009082",  // 31 February
    "8001005009089",  // day 00
    "0102295009082",  // 29 February 1901/2001: neither was a leap year
    "8001015009285",  // C = 2
    "8001015009088",  // bad Luhn
    "800101 5009 088",  // bad Luhn, grouped
    "80010150090871",  // part of a longer run
    "18001015009087",
    "800101500908",  // 12 digits
    "order 12345678901", "ID8001015009087x",
  ])
  func idLookAlikesStay(text: String) {
    expectIntact(text)
    expectIntact("my number is \(text), thanks")
  }

  // MARK: - Phones

  @Test(arguments: [
    "082 555 1234", "0825551234", "082-555-1234", "082.555.1234", "(021) 555 1234", "(021)555-1234",
    "+27 82 555 1234", "+27825551234", "0027825551234", "0027 82 555 1234", "+27 (0)82 555 1234", "+27 082 555 1234",
    "+27-82-555-1234", "(+27) 82 555 1234", "082 555 12 34", "011 555 1234", "+27 21 5551234", "0615551234",
  ])
  func phonesAreRedacted(value: String) {
    expectRedacted(value, as: .phone)
    expectRedacted(value, as: .phone, in: "{}")
    expectRedacted(value, as: .phone, in: "Call me on {}.")
  }

  @Test(arguments: [
    "082 555 123",  // 8 digits after the 0
    "082 555 12345",  // 10
    "0925551234",  // 09x is not an SA range
    "0025551234",
    "27825551234",  // no + or 00
    "+44 20 7946 0958", "+27 82 555 123", "01.02.2026 10:00", "2026-11-29", "08:30", "0930", "R0.50",
    "order 0825551234567", "v0.82.555",
  ])
  func phoneLookAlikesStay(text: String) {
    expectIntact(text)
    expectIntact("reference \(text) is here")
  }

  // MARK: - E-mail

  @Test(arguments: [
    "thandi.nkosi@example.co.za", "JOHN+tag@Gmail.COM", "a_b-c%d@sub-domain.example.org", "josé@exämple.de",
    "0825551234@vodamail.co.za", "naledi.1990@students.uct.ac.za",
  ])
  func emailsAreRedacted(value: String) {
    expectRedacted(value, as: .email)
    expectRedacted(value, as: .email, in: "<{}>")
    expectRedacted(value, as: .email, in: "Mail me at {}.")
    expectRedacted(value, as: .email, in: "mailto:{}")
  }

  @Test(arguments: ["@thandi on twitter", "user@localhost", "npm@1.2.3", "a@b.c", "me @ home", "x@.com", "@@"])
  func emailLookAlikesStay(text: String) {
    expectIntact(text)
  }

  // MARK: - Cards

  @Test(arguments: [
    "4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "5500 0000 0000 0004", "2223 0000 4841 0010",
    "3782 822463 10005", "3782-822463-10005", "378282246310005", "6011 1111 1111 1117", "30569309025904",
    "4222222222222",  // 13-digit Visa
    "4111 1111 1111 1111 110",  // 19 digits
  ])
  func cardsAreRedacted(value: String) {
    expectRedacted(value, as: .paymentCard)
    expectRedacted(value, as: .paymentCard, in: "{}")
    expectRedacted(value, as: .paymentCard, in: "Card: {}, expires 12/27.")
  }

  @Test func aCardFollowedByMoreNumbersIsStillRedacted() {
    #expect(redactor.redact("card 4111 1111 1111 1111 123").text == "card [card] 123")
    #expect(redactor.redact("4111 1111 1111 1111 12/27").text == "[card] 12/27")
    #expect(redactor.redact("ref 12 4111 1111 1111 1111").text == "ref 12 [card]")
    #expect(redactor.redact("4111 1111 1111 1111 5500 0000 0000 0004").text == "[card] [card]")
  }

  @Test(arguments: [
    "4111 1111 1111 1112",  // bad Luhn
    "4111111111111112", "5500-0000-0000-0005", "3782 822463 10006",
    "1234567890123452",  // passes Luhn, but no card scheme issues numbers starting with 1
    "9999999999999995",
    "411111111117",  // 12 digits and Luhn-valid, but only Maestro (5 or 6) issues 12-digit cards
    "4111 1111 1111",  // three groups of four are not a printed card
    "12345678901", "order 123456789012", "R 4 111 111,11",
    "4111.1111.1111.1111",  // dots are not a card separator (compliance.md: spaces or dashes)
  ])
  func cardLookAlikesStay(text: String) {
    expectIntact(text)
    expectIntact("the number \(text) is here")
  }

  // MARK: - IBANs

  @Test(arguments: [
    "DE89 3704 0044 0532 0130 00", "DE89370400440532013000", "de89 3704 0044 0532 0130 00",
    "GB82 WEST 1234 5698 7654 32", "gb82west12345698765432", "NL91ABNA0417164300", "FR14 2004 1010 0505 0001 3M02 606",
    "BE68 5390 0754 7034", "CH93 0076 2011 6238 5295 7", "PL61 1090 1014 0000 0712 1981 2874",
    "AT61 1904 3002 3457 3201", "IE29 AIBK 9311 5212 3456 78", "ES91 2100 0418 4502 0005 1332",
    "IT60 X054 2811 1010 0000 0123 456",
  ])
  func ibansAreRedacted(value: String) {
    expectRedacted(value, as: .iban)
    expectRedacted(value, as: .iban, in: "{}")
    expectRedacted(value, as: .iban, in: "IBAN: {} then the reference.")
  }

  @Test(arguments: [
    "DE89 3704 0044 0532 0130 01",  // mod-97 fails
    "DE89370400440532013001", "GB82 WEST 1234 5698 7654 33", "NL91ABNA0417164301",
    "ZA6012345678901234567890",  // passes mod-97, but South Africa has no IBANs
    "ZA60 1234 5678 9012 3456 7890",
    "DE89 3704 0044 0532 0130",  // too short for Germany
    "BE68539007547034X", "AB12", "ISO27001", "XX00 0000 0000 0000",
    // Mistyped IBANs whose groups hold a Luhn-valid card number: the groups are the IBAN's.
    "DE12 4111 1111 1111 1111 11", "PL10 1090 1014 4111 1111 1111 1111",
  ])
  func ibanLookAlikesStay(text: String) {
    expectIntact(text)
    expectIntact("account \(text) abroad")
  }

  // MARK: - Passports

  @Test(arguments: [
    ("My passport number is A12345678.", "A12345678"),
    ("Passport: M98765432", "M98765432"),
    ("D00112233 is on my passport", "D00112233"),
    ("passport no. t12345678 (expires 2031)", "t12345678"),
    ("PASSPORTS: T87654321", "T87654321"),
    ("I renewed my passport last year and the new number is A11223344", "A11223344"),
  ])
  func passportsNearTheWordAreRedacted(text: String, value: String) {
    let redaction = redactor.redact(text)
    #expect(redaction.text == text.replacingFirst(value, with: "[passport]"))
    #expect(redaction.findings.map(\.kind) == [.passport])
  }

  @Test(arguments: [
    "A12345678",  // no word
    "booking reference A12345678",
    "passport holders should bring their booking email; the reference is A12345678",  // word too far
    "B12345678 passport",  // not A, D, M or T
    "A1234567 passport", "A123456789 passport", "passportA12345678", "passport XA12345678",
  ])
  func passportLookAlikesStay(text: String) {
    expectIntact(text)
  }

  // MARK: - The redaction

  @Test func findingsPointIntoTheOriginalTextInOrder() {
    let text = "Mój numer: 082 555 1234 — e-mail zoë@example.com 😊, ID 8001015009087."
    let redaction = redactor.redact(text)
    #expect(redaction.text == "Mój numer: [phone] — e-mail [email] 😊, ID [ID number].")
    #expect(redaction.findings.map(\.kind) == [.phone, .email, .saIdNumber])
    #expect(redaction.findings.map { String(text[$0.range]) } == ["082 555 1234", "zoë@example.com", "8001015009087"])
  }

  @Test func textWithoutPersonalDataComesBackAsItWas() {
    #expect(redactor.redact("") == Redaction(text: "", findings: []))
    let text = "Do you sell my data? I signed up in 2019, order 12345678901, version 2.4.1, at 10:30 on 2026-11-29."
    #expect(redactor.redact(text) == Redaction(text: text, findings: []))
  }

  @Test func anEmailAddressKeepsItsDigitsAndAnIBANItsGroups() {
    // The digits inside the address are a phone number, and the IBAN's groups hold card-length
    // digit runs: each is one finding of the outer kind.
    #expect(redactor.redact("0825551234@vodamail.co.za").findings.map(\.kind) == [.email])
    #expect(redactor.redact("PL61 1090 1014 0000 0712 1981 2874").findings.map(\.kind) == [.iban])
  }

  @Test func everyKindHasItsPlaceholder() {
    #expect(
      PersonalDataKind.allCases.map(\.placeholder) == [
        "[ID number]", "[phone]", "[email]", "[card]", "[IBAN]", "[passport]",
      ])
    #expect(
      PersonalDataKind.allCases.map(\.rawValue) == [
        "sa_id_number", "phone", "email", "payment_card", "iban", "passport",
      ])
  }

  @Test func severalKindsInOneMessage() {
    let text = """
      Hi, I'm Thandi (thandi@example.co.za, +27 82 555 1234). My ID is 800101 5009 087 and my passport \
      is A12345678. Refund card 4111-1111-1111-1111 or DE89 3704 0044 0532 0130 00. Order 12345678901.
      """
    #expect(
      redactor.redact(text).text == """
        Hi, I'm Thandi ([email], [phone]). My ID is [ID number] and my passport \
        is [passport]. Refund card [card] or [IBAN]. Order 12345678901.
        """)
  }
}

extension String {
  /// The string with the first occurrence of `target` replaced.
  fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
    guard let range = range(of: target) else { return self }
    return replacingCharacters(in: range, with: replacement)
  }
}
