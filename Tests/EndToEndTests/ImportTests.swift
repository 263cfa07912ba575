import Foundation
import Testing

/// `policychat import`: three real policies in three shapes become homes that the chat
/// answers from, every sentence kept; bad input is refused and a home is never overwritten
/// by accident.
@Suite struct ImportTests {
  private static let fixtures = PolicyChatBinary.repositoryRoot.appendingPathComponent("Tests/Fixtures/import")

  private static func scratch() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policychat-import-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  private static func runImport(_ arguments: [String]) async throws -> PipedTranscript {
    try await PipedChat.run(
      [], arguments: ["import"] + arguments + ["--template", PolicyChatBinary.repositoryRoot.path])
  }

  /// Every section file's text under `home`, joined.
  private static func sectionsText(_ home: URL) throws -> String {
    let folder = home.appendingPathComponent("knowledge/sections")
    let files = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
    return try files.filter { $0.hasSuffix(".md") }.sorted().map {
      try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)
    }.joined(separator: "\n")
  }

  /// The sentences of a text, white space collapsed: what must reach the sections verbatim.
  private static func sentences(_ text: String) -> [String] {
    var sentences: [String] = []
    for line in text.split(whereSeparator: \.isNewline) {
      sentences += lineSentences(line.split(whereSeparator: \.isWhitespace).joined(separator: " "))
    }
    return sentences
  }

  private static func lineSentences(_ collapsed: String) -> [String] {
    var sentences: [String] = []
    var current = ""
    for character in collapsed {
      current.append(character)
      if ".!?".contains(character) {
        sentences.append(current.trimmingCharacters(in: .whitespaces))
        current = ""
      }
    }
    sentences.append(current.trimmingCharacters(in: .whitespaces))
    return sentences.filter { $0.count > 3 }
  }

  private static func answer(_ questions: [String], home: URL) async throws -> PipedTranscript {
    try await PipedChat.run(
      Array(questions.map { $0 + "\n" }.joined().utf8), arguments: ["chat", "--db", ":memory:", "--home", home.path])
  }

  @Test(
    "A real policy in each shape imports and the chat answers from it",
    arguments: [
      ("caribou-coffee.md", "Caribou Coffee", true),
      ("yahoo.html", "Yahoo", true),
      ("ticketmaster.txt", "Ticketmaster", false),
    ])
  func importsAndAnswers(file: String, organisation: String, headings: Bool) async throws {
    let home = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: home) }
    let source = Self.fixtures.appendingPathComponent(file)
    let imported = try await Self.runImport(
      [source.path, "--out", home.path] + (headings ? [] : ["--organisation", organisation]))
    #expect(imported.termination == .exit(0), "\(imported.errorOutput)")
    #expect(imported.output.contains("Organisation: \(organisation)"), "\(imported.output)")
    #expect(imported.output.contains(headings ? "from its headings" : "one per paragraph"), "\(imported.output)")
    #expect(imported.output.contains("To check:"))

    // Every sentence of the policy is in a section, as written.
    var text = try String(contentsOf: source, encoding: .utf8)
    if file.hasSuffix(".html") {
      text = text.replacing(#/<script>.*?</script>|<style>.*?</style>|<title>.*?</title>|<!--.*?-->/#, with: "")
        .replacing(#/<[^>]+>/#, with: "\n").replacingOccurrences(of: "&amp;", with: "&")
        .replacingOccurrences(of: "&rsquo;", with: "\u{2019}").replacingOccurrences(of: "&quot;", with: "\"")
        .replacingOccurrences(of: "&#x27;", with: "'").replacingOccurrences(of: "&lt;", with: "<")
        .replacingOccurrences(of: "&gt;", with: ">")
    }
    if file.hasSuffix(".md") { text = text.replacing(#/(?m)^#+ /#, with: "") }
    let written = try Self.sectionsText(home).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    // The document's own title ("Yahoo Privacy Policy") names the organisation; it is not policy text.
    let missing = Self.sentences(text).filter { !written.contains($0) && $0 != "\(organisation) Privacy Policy" }
    #expect(missing.isEmpty, "not in any section: \(missing.prefix(3))")
    #expect(!written.contains("not policy text"), "a script's text reached the knowledge base")

    // The chat starts on the new home and answers from the policy, citing it.
    let chat = try await Self.answer(["what information do you collect", "do you use cookies"], home: home)
    #expect(chat.termination == .exit(0), "\(chat.errorOutput)")
    #expect(chat.output.contains("\(organisation)'s automated privacy assistant"), "\(chat.output)")
    #expect(chat.output.components(separatedBy: "From: ").count >= 3, "\(chat.output)")
    #expect(!chat.output.contains("Rousora"), "\(chat.output)")
  }

  @Test("Importing twice gives the same files")
  func importIsRepeatable() async throws {
    let first = try Self.scratch()
    let second = try Self.scratch()
    defer {
      try? FileManager.default.removeItem(at: first)
      try? FileManager.default.removeItem(at: second)
    }
    let source = Self.fixtures.appendingPathComponent("caribou-coffee.md").path
    let one = try await Self.runImport([source, "--out", first.path])
    let two = try await Self.runImport([source, "--out", second.path])
    #expect(one.termination == .exit(0) && two.termination == .exit(0))
    #expect(one.output == two.output)
    #expect(try Self.sectionsText(first) == Self.sectionsText(second))
    for name in ["knowledge/policy.yaml", "knowledge/disclosure.yaml", "intents/requests.yaml"] {
      #expect(
        try Data(contentsOf: first.appendingPathComponent(name))
          == Data(contentsOf: second.appendingPathComponent(name)),
        "\(name)")
    }
  }

  @Test("A topic the policy does not cover is answered as such, with the contact")
  func uncoveredTopicIsSaid() async throws {
    let home = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: home) }
    let source = Self.fixtures.appendingPathComponent("ticketmaster.txt").path
    let imported = try await Self.runImport(
      [source, "--out", home.path, "--organisation", "Ticketmaster", "--contact", "privacy@ticketmaster.example"])
    #expect(imported.termination == .exit(0), "\(imported.errorOutput)")
    #expect(imported.output.contains("right.portability"), "the report names the rights the policy omits")
    let chat = try await Self.answer(["how old do I have to be?"], home: home)
    #expect(chat.termination == .exit(0), "\(chat.errorOutput)")
    #expect(
      chat.output.contains(
        "Ticketmaster's privacy policy does not say anything about the age from which people may use the service. You can ask Ticketmaster at privacy@ticketmaster.example."
      ), "\(chat.output)")
  }

  @Test("An imported policy is answered from its best sentences, quoted and cited; /why says so; off-topic falls back")
  func importedPolicyIsAnsweredFromPassages() async throws {
    let home = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: home) }
    let source = Self.fixtures.appendingPathComponent("ticketmaster.txt")
    let imported = try await Self.runImport(
      [source.path, "--out", home.path, "--organisation", "Ticketmaster", "--contact", "privacy@ticketmaster.example"])
    #expect(imported.termination == .exit(0), "\(imported.errorOutput)")
    let policy = try String(contentsOf: home.appendingPathComponent("knowledge/policy.yaml"), encoding: .utf8)
    #expect(policy.contains("\nanswers: passages\n"), "\(policy)")

    let chat = try await Self.answer(
      ["how long do you keep my information?", "/why", "what is the weather tomorrow?"], home: home)
    #expect(chat.termination == .exit(0), "\(chat.errorOutput)")
    // The retention sentence, verbatim, with the section it is in.
    #expect(
      chat.output.contains("We keep personal information as long as it is necessary or relevant for our business."),
      "\(chat.output)")
    // Cited after the quotes: the section it is in is named on the "From:" line.
    let citation = chat.output.split(separator: "\n").first { $0.hasPrefix("From: ") } ?? ""
    #expect(citation.contains("We keep personal information as long as it"), "\(chat.output)")
    // Every quoted line is the policy's own text.
    let text = try String(contentsOf: source, encoding: .utf8).split(whereSeparator: \.isWhitespace).joined(
      separator: " ")
    let answer = chat.output.components(separatedBy: "In short:")[0].components(separatedBy: "\n\n").dropFirst()
    for quote in answer.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) })
    where !quote.isEmpty && !quote.hasPrefix("From: ") && !quote.contains("automated privacy assistant") {
      // Less the quote's number ("[2]"), which is the citation's, not the policy's.
      let unnumbered = quote.replacingOccurrences(of: #" \[\d+\]$"#, with: "", options: .regularExpression)
      for piece in unnumbered.components(separatedBy: " … ") {
        #expect(
          text.contains(piece.split(whereSeparator: \.isWhitespace).joined(separator: " ")), "not verbatim: \(piece)")
      }
    }
    #expect(chat.output.contains("Chosen by: passages (the policy's sentences ranked by bm25"), "\(chat.output)")
    #expect(chat.output.contains("shape_retention"), "\(chat.output)")
    #expect(chat.output.contains("Sorry, that's outside what I can help with"), "\(chat.output)")
  }

  @Test("Bad input is refused clearly and an existing home is kept without --force")
  func badInputIsRefused() async throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let empty = folder.appendingPathComponent("empty.txt")
    try Data().write(to: empty)
    let binary = folder.appendingPathComponent("image.png")
    try Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01, 0xFF]).write(to: binary)
    let recipe = folder.appendingPathComponent("recipe.txt")
    try Data(String(repeating: "Mix the flour and the eggs, then bake for an hour. ", count: 20).utf8).write(to: recipe)
    let out = folder.appendingPathComponent("home")
    for (file, reason) in [
      (empty, "has no text"), (binary, "not a text file"), (recipe, "does not read as a privacy policy"),
      (folder.appendingPathComponent("missing.txt"), "cannot read"),
    ] {
      let refused = try await Self.runImport([file.path, "--out", out.path, "--organisation", "X"])
      #expect(refused.termination == .exit(2), "\(file.lastPathComponent)")
      #expect(refused.errorOutput.contains(reason), "\(file.lastPathComponent): \(refused.errorOutput)")
      #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("knowledge").path))
    }

    let source = Self.fixtures.appendingPathComponent("yahoo.html").path
    #expect(try await Self.runImport([source, "--out", out.path]).termination == .exit(0))
    let policyFile = out.appendingPathComponent("knowledge/policy.yaml")
    try Data("organisation: Edited by hand\n".utf8).write(to: policyFile, options: .atomic)
    let again = try await Self.runImport([source, "--out", out.path])
    #expect(again.termination == .exit(2))
    #expect(again.errorOutput.contains("--force"), "\(again.errorOutput)")
    #expect(try String(contentsOf: policyFile, encoding: .utf8) == "organisation: Edited by hand\n")
    let forced = try await Self.runImport([source, "--out", out.path, "--force"])
    #expect(forced.termination == .exit(0), "\(forced.errorOutput)")
    #expect(try String(contentsOf: policyFile, encoding: .utf8).contains("organisation: \"Yahoo\""))

    // A home that would not start replaces nothing: here its template has a broken intent file.
    let template = folder.appendingPathComponent("template")
    let root = PolicyChatBinary.repositoryRoot
    try FileManager.default.createDirectory(at: template, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: root.appendingPathComponent("intents"), to: template.appendingPathComponent("intents"))
    try FileManager.default.copyItem(
      at: root.appendingPathComponent("knowledge"), to: template.appendingPathComponent("knowledge"))
    try Data("intents:\n  - id: broken\n    answr: [x]\n".utf8).write(
      to: template.appendingPathComponent("intents/broken.yaml"))
    let before = try Self.sectionsText(out)
    let broken = try await PipedChat.run(
      [],
      arguments: [
        "import", source, "--out", out.path, "--force", "--organisation", "Other", "--template", template.path,
      ])
    #expect(broken.termination == .exit(2))
    #expect(broken.errorOutput.contains("does not load"), "\(broken.errorOutput)")
    #expect(try Self.sectionsText(out) == before)
    #expect(try String(contentsOf: policyFile, encoding: .utf8).contains("organisation: \"Yahoo\""))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".") }
    #expect(leftovers.isEmpty, "\(leftovers)")
  }
}
