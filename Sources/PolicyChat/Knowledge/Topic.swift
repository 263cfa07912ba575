/// What a privacy policy covers, in words that do not depend on how one policy is laid
/// out: a section carries the topics it speaks to (`topics:` in its front matter), and
/// intents and requests name topics, so that the same intents work on any organisation's
/// policy (docs/KNOWLEDGE.md). The list is fixed: a topic no section carries is one the
/// policy does not cover, answered as such.
public struct Topic: Sendable, Equatable {
  /// `sharing`, `right.erasure`.
  public let id: String
  /// What it is about, to finish "The policy does not say anything about …".
  public let about: String
  /// Words whose presence in a section's title (or, less so, its text) suggests the topic,
  /// as lower-case stems matched at a word's start: `import` assigns topics with them.
  let cues: [String]

  /// Every topic, in the order a policy usually takes them.
  public static let all: [Topic] = [
    Topic("definitions", "what its terms mean", ["definition", "defined", "meaning", "glossary", "interpretation"]),
    Topic(
      "collection", "what personal information is collected",
      ["information we collect", "data we collect", "collect", "information you provide", "categories of"]),
    Topic(
      "collection-methods", "how personal information is collected",
      ["how we collect", "automatically", "sources", "third-party sources", "log data", "device information"]),
    Topic(
      "sensitive-data", "sensitive or special categories of information",
      ["sensitive", "special categor", "health", "biometric", "racial", "religio"]),
    Topic(
      "purposes", "what personal information is used for",
      ["how we use", "use of", "purpose", "we use", "use your", "uses of"]),
    Topic(
      "legal-bases", "the legal bases for using personal information",
      ["legal basis", "legal bases", "lawful basis", "legitimate interest", "grounds"]),
    Topic(
      "sharing", "who personal information is shared with",
      ["shar", "disclos", "third part", "service provider", "partners", "affiliates", "recipients"]),
    Topic("selling", "whether personal information is sold", ["sell", "sale", "sold"]),
    Topic(
      "retention", "how long personal information is kept",
      ["retention", "retain", "how long", "as long as", "keep", "storage period"]),
    Topic(
      "storage-location", "where personal information is stored",
      ["where we store", "stored in", "servers located", "data location", "hosted"]),
    Topic(
      "security", "how personal information is protected",
      ["security", "secure", "protect", "safeguard", "encrypt"]),
    Topic(
      "breaches", "what happens after a data breach",
      ["breach", "incident", "unauthori", "notify you"]),
    Topic(
      "transfers", "transfers of personal information to other countries",
      ["international", "transfer", "cross-border", "outside", "abroad", "countries"]),
    Topic(
      "cookies", "cookies and similar technologies",
      ["cookie", "tracking technolog", "pixel", "web beacon", "local storage", "analytics"]),
    Topic(
      "browser-signals", "Do Not Track and Global Privacy Control signals",
      ["do not track", "do-not-track", "global privacy control", "gpc", "browser signal"]),
    Topic("children", "children's information", ["child", "minor", "under 13", "under 16", "coppa"]),
    Topic(
      "minimum-age", "the age from which people may use the service",
      ["age restriction", "minimum age", "under the age", "years of age", "years old", "age limit"]),
    Topic(
      "rights", "the rights people have over their information",
      ["your rights", "rights", "choices", "your choices", "access and control", "data subject"]),
    Topic("right.access", "the right of access", ["access", "copy of", "know what", "right to know"]),
    Topic(
      "right.correction", "the right to correction",
      ["correct", "rectif", "inaccurate", "modify information", "update your", "edit your"]),
    Topic("right.erasure", "the right to erasure", ["delet", "erase", "erasure", "remov", "forgotten"]),
    Topic("right.objection", "the right to object", ["object", "opt out", "opt-out", "direct marketing"]),
    Topic("right.restriction", "the right to restrict processing", ["restrict", "limit the use", "limitation"]),
    Topic("right.portability", "the right to data portability", ["portab", "machine-readable", "transmit"]),
    Topic(
      "right.withdraw-consent", "withdrawing consent",
      ["withdraw", "revoke", "withdrawal of consent", "change your mind"]),
    Topic(
      "right.complaint", "complaints to a regulator",
      ["complain", "supervisory authority", "regulator", "data protection authority", "information regulator"]),
    Topic(
      "right.human-review", "automated decisions and review by a person",
      ["automated decision", "profiling", "human review", "automated processing"]),
    Topic(
      "changes", "changes to the policy",
      ["changes to", "change to", "update to this", "updates to this", "update to our", "amend", "revision"]),
    Topic(
      "contact", "how to contact the organisation",
      ["contact", "questions", "reach us", "email us", "information officer", "data protection officer"]),
  ]

  private init(_ id: String, _ about: String, _ cues: [String]) {
    self.id = id
    self.about = about
    self.cues = cues
  }

  private static let byId: [String: Topic] = Dictionary(all.map { ($0.id, $0) }) { first, _ in first }

  /// The topic with this id, if there is one.
  public static func named(_ id: String) -> Topic? { byId[id] }

  /// The rights the law gives whatever the policy says, each a request the engine takes:
  /// a policy that omits one is reported by `import` for a person to check.
  public static let rightsTheLawGives = [
    "right.access", "right.correction", "right.erasure", "right.objection", "right.restriction",
    "right.portability", "right.withdraw-consent", "right.complaint", "right.human-review",
  ]
}
