import Yams

/// The YAML header of a section file.
struct FrontMatter: Decodable {
  var id: String
  var title: String
  var aliases: [String]?
}

/// Splits a section file into its YAML front matter and Markdown body.
enum FrontMatterParser {
  static func parse(_ text: String, file: String) throws(EngineError) -> Section {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else {
      throw .invalidData(file: file, line: 1, reason: "expected front matter starting with ---")
    }
    guard let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" })
    else {
      throw .invalidData(file: file, line: nil, reason: "front matter is not closed by ---")
    }
    let yaml = lines[1..<end].joined(separator: "\n")
    let header: FrontMatter
    do {
      header = try YAMLDecoder(encoding: .utf8).decode(FrontMatter.self, from: yaml)
    } catch {
      throw YAMLErrors.describe(error, file: file, lineOffset: 1)
    }
    let body = lines[(end + 1)...].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    guard !header.id.isEmpty, header.id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else {
      throw .invalidData(file: file, line: 2, reason: "id must be dotted lowercase words")
    }
    return Section(id: header.id, title: header.title, aliases: header.aliases ?? [], body: body, file: file)
  }
}
