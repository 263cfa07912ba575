/// One section or subsection of the policy, as written in a file under `knowledge/sections/`.
public struct Section: Sendable, Equatable {
  /// Stable dotted id, e.g. `rights.erasure`; its parent is `rights`.
  public let id: String
  public let title: String
  /// Words people use for this section that the policy itself may not.
  public let aliases: [String]
  /// The ``Topic``s it speaks to; intents and requests find it by them.
  public let topics: [String]
  /// The policy's own wording, as Markdown paragraphs and bullet lists.
  public let body: String
  /// The file it came from, relative to the home folder, for error messages.
  public let file: String
  /// The body cut into paragraphs and lists, once at load rather than on every answer.
  let blocks: [AnswerBlock]

  init(id: String, title: String, aliases: [String], topics: [String] = [], body: String, file: String) {
    self.id = id
    self.title = title
    self.aliases = aliases
    self.topics = topics
    self.body = body
    self.file = file
    blocks = AnswerComposer.blocks(of: body).map(AnswerBlock.init)
  }

  /// The id of the enclosing section, if this is a subsection.
  public var parentId: String? {
    guard let dot = id.lastIndex(of: ".") else { return nil }
    return String(id[..<dot])
  }

  /// The intent that answers from this section.
  public var intentId: String { "policy." + id }
}
