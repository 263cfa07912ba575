import PolicyChat

/// Personal data and look-alikes made from a seed, to measure the redactor on more than the
/// hand-written examples.
///
/// Deterministic (SplitMix64), so a failure reproduces exactly. The checksums are computed
/// here independently of the library, so a bug in the library's Luhn or mod-97 cannot hide
/// behind the same bug in the test.
struct PersonalDataGenerator: RandomNumberGenerator {
  /// A value planted in a message: personal data of `kind`, or a look-alike when `kind` is nil.
  struct Item {
    var kind: PersonalDataKind?
    /// What sort of value it is ("impossible date", "visa 4-4-4-4"), for failure messages.
    var label: String
    var text: String
    /// A sentence holding the value, with `{}` where it goes.
    var sentence: String
  }

  /// The look-alike categories `lookAlike()` draws from.
  static let lookAlikeLabels = [
    "order number", "id impossible date", "id bad luhn", "id c not 0/1", "card bad luhn", "short number", "price",
    "year", "date", "version", "iban bad mod-97", "iban ZA", "passport without the word", "time",
  ]

  private var state: UInt64

  init(seed: UInt64) {
    state = seed
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  // MARK: - Personal data

  /// A valid item of `kind`, written in one of the forms people use.
  mutating func personalData(_ kind: PersonalDataKind) -> Item {
    switch kind {
    case .saIdNumber: return idNumber()
    case .phone: return phone()
    case .email: return email()
    case .paymentCard: return card()
    case .iban: return iban()
    case .passport: return passport()
    }
  }

  private mutating func idNumber() -> Item {
    let date = realDate()
    var digits = date + digits(4) + [int(0...1), pick([8, 8, 8, 9])]
    digits.append(Self.luhnCheckDigit(digits))
    let (label, text) = pick([
      ("contiguous", group(digits, [13], " ")),
      ("6-4-3", group(digits, [6, 4, 3], " ")),
      ("6-7", group(digits, [6, 7], " ")),
      ("6-4-1-1-1", group(digits, [6, 4, 1, 1, 1], " ")),
    ])
    let sentence = pick([
      "My ID number is {}.", "ID: {}", "id no {} please check", "Here is my identity number, {}, for the record.",
      "{} is my ID", "I gave them {} at the branch.",
    ])
    return Item(kind: .saIdNumber, label: "id " + label, text: text, sentence: sentence)
  }

  private mutating func phone() -> Item {
    let national = [int(1...8), int(0...9)] + digits(7)
    let n = national.map(String.init).joined()
    let area = String(n.prefix(2))
    let middle = String(n.dropFirst(2).prefix(3))
    let last = String(n.suffix(4))
    let (label, text) = pick([
      ("0xx xxx xxxx", "0\(area) \(middle) \(last)"),
      ("contiguous", "0\(n)"),
      ("dashes", "0\(area)-\(middle)-\(last)"),
      ("dots", "0\(area).\(middle).\(last)"),
      ("brackets", "(0\(area)) \(middle) \(last)"),
      ("+27 spaced", "+27 \(area) \(middle) \(last)"),
      ("+27 contiguous", "+27\(n)"),
      ("0027 contiguous", "0027\(n)"),
      ("0027 spaced", "0027 \(area) \(middle) \(last)"),
      ("+27 (0)", "+27 (0)\(area) \(middle) \(last)"),
      ("+27 dashes", "+27-\(area)-\(middle)-\(last)"),
      ("pairs", "0\(area) \(middle) \(last.prefix(2)) \(last.suffix(2))"),
    ])
    let sentence = pick([
      "Call me on {}.", "my number: {}", "You can reach me at {} after 5pm", "WhatsApp {} please",
      "Phone ({}) anytime.", "{} is my cell",
    ])
    return Item(kind: .phone, label: "phone " + label, text: text, sentence: sentence)
  }

  private mutating func email() -> Item {
    let first = pick(["thandi", "johan", "naledi", "pieter", "aisha", "sipho", "lerato", "anne-marie", "o.brien"])
    let last = pick(["nkosi", "van.der.merwe", "dlamini", "smith", "botha", "mokoena", "naidoo"])
    let local = pick([
      "\(first).\(last)", "\(first)\(int(1...99))", "\(first)_\(last)", "\(first)+privacy", "\(first.uppercased())",
      "\(first).\(last)\(int(1970...2005))",
    ])
    let domain = pick([
      "gmail.com", "example.co.za", "mweb.co.za", "outlook.com", "students.uct.ac.za", "mail.example.org",
      "Webmail.CO.ZA",
    ])
    let sentence = pick([
      "Email me at {}.", "my address is {}", "Contact: {}", "send it to <{}> thanks", "({})", "{} is the best way",
    ])
    return Item(kind: .email, label: "email", text: "\(local)@\(domain)", sentence: sentence)
  }

  private mutating func card() -> Item {
    let (label, digits) = cardDigits()
    let sentence = pick([
      "My card number is {}.", "card: {}", "I paid with {} yesterday", "Charge {} please.", "{} was declined",
      "the number on my Visa is {} exp 12/27",
    ])
    return Item(kind: .paymentCard, label: label, text: formatCard(digits), sentence: sentence)
  }

  /// Card digits with a valid check digit, from one of the common schemes.
  ///
  /// 19-digit numbers are left out of the look-alikes (`nineteen: false`): 4-4-4-4-3 that
  /// fails Luhn is also read as a 16-digit card followed by its security code, which is
  /// redacted when those 16 pass, as it should be.
  private mutating func cardDigits(nineteen: Bool = true) -> (String, [Int]) {
    var schemes: [(String, [Int], Int)] = [
      ("card visa", [4], 16),
      ("card mastercard 5x", [5, int(1...5)], 16),
      ("card mastercard 2x", Self.digitsOf(int(2221...2720)), 16),
      ("card amex", [3, pick([4, 7])], 15),
    ]
    if nineteen { schemes.append(("card visa 19", [4], 19)) }
    let (label, prefix, length) = pick(schemes)
    var digits = prefix + self.digits(length - prefix.count - 1)
    digits.append(Self.luhnCheckDigit(digits))
    return (label, digits)
  }

  /// Contiguous, or grouped as the card is printed (4-4-4-4, Amex 4-6-5, 19 digits 4-4-4-4-3).
  private mutating func formatCard(_ digits: [Int]) -> String {
    let layout: [Int]
    switch digits.count {
    case 15: layout = [4, 6, 5]
    case 19: layout = [4, 4, 4, 4, 3]
    default: layout = [4, 4, 4, 4]
    }
    return pick([group(digits, [digits.count], ""), group(digits, layout, " "), group(digits, layout, "-")])
  }

  private mutating func iban() -> Item {
    let (country, bban) = ibanParts()
    let check = 98 - Self.mod97(bban + country + "00")
    let compact = country + (check < 10 ? "0" : "") + String(check) + bban
    let (label, text) = pick([
      ("contiguous", compact), ("grouped", groupedInFours(compact)),
      ("grouped lower", groupedInFours(compact).lowercased()),
    ])
    let sentence = pick([
      "My IBAN is {}.", "Please refund to {} thank you", "IBAN: {}", "account {} (my bank abroad)",
      "Transfer to {}",
    ])
    return Item(kind: .iban, label: "iban \(country) \(label)", text: text, sentence: sentence)
  }

  /// A country and a BBAN shaped like that country's (letters where its bank codes have them).
  private mutating func ibanParts() -> (String, String) {
    let country = pick(["DE", "GB", "FR", "NL", "ES", "IT", "BE", "CH", "AT", "IE", "PL"])
    let numeric = { (generator: inout PersonalDataGenerator, count: Int) in
      generator.digits(count).map(String.init).joined()
    }
    let bank = String((0..<4).map { _ in Character(Unicode.Scalar(UInt8(ascii: "A") + UInt8(int(0...25)))) })
    switch country {
    case "DE": return (country, numeric(&self, 18))
    case "GB", "IE": return (country, bank + numeric(&self, 14))
    case "FR": return (country, numeric(&self, 23))
    case "NL": return (country, bank + numeric(&self, 10))
    case "ES": return (country, numeric(&self, 20))
    case "IT": return (country, String(bank.prefix(1)) + numeric(&self, 22))
    case "BE": return (country, numeric(&self, 12))
    case "CH": return (country, numeric(&self, 17))
    case "AT": return (country, numeric(&self, 16))
    default: return (country, numeric(&self, 24))
    }
  }

  private mutating func passport() -> Item {
    let text = pick(["A", "D", "M", "T"]) + digits(8).map(String.init).joined()
    let sentence = pick([
      "My passport number is {}.", "Passport: {}", "{} is on my passport", "passport no. {} (expires 2031)",
      "I renewed my passport last year, the new number is {}.", "PASSPORT {}",
    ])
    return Item(kind: .passport, label: "passport", text: text, sentence: sentence)
  }

  // MARK: - Look-alikes

  /// A value that looks like personal data but is not, and must survive redaction.
  mutating func lookAlike(_ label: String) -> Item {
    let text: String
    var sentence = pick(["Reference {} is on the letter.", "see {}", "It says {} at the top", "({})"])
    switch label {
    case "order number":
      text = String(int(1...9)) + digits(int(7...10)).map(String.init).joined()
      sentence = pick(["order {} has not arrived", "Order #{}", "my order number is {}."])
    case "id impossible date":
      text = idLookAlike(date: impossibleDate(), c: int(0...1), luhn: true)
    case "id bad luhn":
      text = idLookAlike(date: realDate(), c: int(0...1), luhn: false)
    case "id c not 0/1":
      text = idLookAlike(date: realDate(), c: int(2...9), luhn: true)
    case "card bad luhn":
      var digits = cardDigits(nineteen: false).1
      let last = digits.count - 1
      digits[last] = (digits[last] + int(1...9)) % 10
      text = formatCard(digits)
    case "short number":
      text = String(int(1...99_999))
      sentence = pick(["I have {} questions", "{} items", "room {}"])
    case "price":
      text = pick([
        "R\(int(1...999)).\(int(10...99))", "R\(int(1...99)) \(int(100...999)),00", "$\(int(1...9)),\(int(100...999))",
      ])
      sentence = pick(["it cost {}", "{} per month", "I was charged {} twice"])
    case "year":
      text = String(int(1950...2030))
      sentence = pick(["since {}", "in {} I signed up", "the {} policy"])
    case "date":
      let (y, m, d) = (int(2000...2030), int(1...12), int(1...28))
      text = pick([
        "\(y)-\(two(m))-\(two(d))", "\(two(d))/\(two(m))/\(y)", "\(two(d)).\(two(m)).\(y)", "\(two(d)) \(two(m)) \(y)",
      ])
      sentence = pick(["on {}", "dated {}", "from {} until now"])
    case "version":
      text = pick([
        "v\(int(1...9)).\(int(0...20)).\(int(0...20))", "\(int(1...20)).\(int(0...9))",
        "iOS \(int(12...18)).\(int(0...6)).\(int(1...3))",
      ])
      sentence = pick(["app version {}", "after updating to {}", "{} crashed"])
    case "iban bad mod-97":
      text = ibanLookAlike()
    case "iban ZA":
      // A South African "IBAN" with correct check digits: ZA does not use IBANs.
      let bban = digits(20).map(String.init).joined()
      let check = 98 - Self.mod97(bban + "ZA00")
      let compact = "ZA" + two(check) + bban
      text = pick([compact, groupedInFours(compact)])
    case "passport without the word":
      text = pick(["A", "D", "M", "T"]) + digits(8).map(String.init).joined()
      sentence = pick(["booking reference {}", "Ticket {} is confirmed", "my flight code was {}"])
    default:  // "time"
      text = pick([
        "\(two(int(0...23))):\(two(int(0...59)))", "\(two(int(0...23))):\(two(int(0...59))):\(two(int(0...59)))",
      ])
      sentence = pick(["at {}", "call me after {}", "{} tomorrow"])
    }
    return Item(kind: nil, label: label, text: text, sentence: sentence)
  }

  /// 13 digits shaped like an ID number. The first digit is never 4 when the Luhn digit is
  /// right: a Luhn-valid 13-digit number starting with 4 is a possible Visa card, which the
  /// redactor rightly removes.
  private mutating func idLookAlike(date: [Int], c: Int, luhn: Bool) -> String {
    var digits = date + self.digits(4) + [c, 8]
    let check = Self.luhnCheckDigit(digits)
    digits.append(luhn ? check : (check + int(1...9)) % 10)
    return pick([group(digits, [13], ""), group(digits, [6, 4, 3], " ")])
  }

  /// A valid IBAN with one character of its BBAN changed, which mod-97 always detects.
  private mutating func ibanLookAlike() -> String {
    let (country, bban) = ibanParts()
    let check = 98 - Self.mod97(bban + country + "00")
    var characters = Array(country + two(check) + bban)
    var position = int(4...(characters.count - 1))
    while !characters[position].isNumber { position = int(4...(characters.count - 1)) }
    let old = Int(String(characters[position])) ?? 0
    characters[position] = Character(String((old + int(1...9)) % 10))
    let compact = String(characters)
    return pick([compact, groupedInFours(compact)])
  }

  /// YYMMDD of a real date; the year is never 40-49, so IDs and look-alikes share one rule
  /// for the first digit.
  private mutating func realDate() -> [Int] {
    var year = int(1925...2024)
    while (40...49).contains(year % 100) { year = int(1925...2024) }
    let month = int(1...12)
    let days = [
      31, year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]
    return Self.twoDigits(year % 100) + Self.twoDigits(month) + Self.twoDigits(int(1...days[month - 1]))
  }

  /// YYMMDD that no calendar has: month 00 or 13-19, day 00 or 32-39, or 30 February.
  private mutating func impossibleDate() -> [Int] {
    var year = int(50...139) % 100
    while (40...49).contains(year) { year = int(50...139) % 100 }
    let (month, day): (Int, Int) = pick([
      (int(13...19), int(1...28)), (0, int(1...28)), (int(1...12), int(32...39)), (int(1...12), 0), (2, 30),
    ])
    return Self.twoDigits(year) + Self.twoDigits(month) + Self.twoDigits(day)
  }

  // MARK: - Helpers

  mutating func int(_ range: ClosedRange<Int>) -> Int {
    Int.random(in: range, using: &self)
  }

  mutating func pick<T>(_ choices: [T]) -> T {
    choices[Int.random(in: 0..<choices.count, using: &self)]
  }

  private mutating func digits(_ count: Int) -> [Int] {
    (0..<count).map { _ in int(0...9) }
  }

  private func two(_ value: Int) -> String {
    value < 10 ? "0\(value)" : String(value)
  }

  private func group(_ digits: [Int], _ layout: [Int], _ separator: String) -> String {
    var parts: [String] = []
    var offset = 0
    for length in layout {
      parts.append(digits[offset..<(offset + length)].map(String.init).joined())
      offset += length
    }
    return parts.joined(separator: separator)
  }

  private func groupedInFours(_ compact: String) -> String {
    var groups: [String] = []
    var rest = Substring(compact)
    while !rest.isEmpty {
      groups.append(String(rest.prefix(4)))
      rest = rest.dropFirst(4)
    }
    return groups.joined(separator: " ")
  }

  static func twoDigits(_ value: Int) -> [Int] {
    [value / 10, value % 10]
  }

  static func digitsOf(_ value: Int) -> [Int] {
    String(value).compactMap(\.wholeNumberValue)
  }

  /// The digit that makes `payload` followed by it pass Luhn.
  static func luhnCheckDigit(_ payload: [Int]) -> Int {
    var sum = 0
    for (position, digit) in payload.reversed().enumerated() {
      let doubled = position % 2 == 0 ? digit * 2 : digit
      sum += doubled > 9 ? doubled - 9 : doubled
    }
    return (10 - sum % 10) % 10
  }

  /// The remainder mod 97 of an IBAN-style string read with letters as 10-35.
  static func mod97(_ text: String) -> Int {
    var remainder = 0
    for character in text.uppercased() {
      if let digit = character.wholeNumberValue {
        remainder = (remainder * 10 + digit) % 97
      } else if let ascii = character.asciiValue {
        remainder = (remainder * 100 + Int(ascii) - 55) % 97
      }
    }
    return remainder
  }
}
