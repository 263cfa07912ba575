import ArgumentParser
import Foundation
import PolicyChat

/// `policychat import POLICY --out DIR`: a home for another organisation's policy.
struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Make a home (knowledge/ and intents/) from a privacy policy in Markdown, HTML or plain text.",
    discussion: """
      Sections come from the policy's headings (or its paragraphs when it has none), every \
      sentence kept as written; each section gets its topics (docs/KNOWLEDGE.md). The intents, \
      gate data and consent purposes are copied from --template. A review report goes to stdout.
      """
  )

  @Argument(help: "The policy file (.md, .html, .txt; other names are read by their content).")
  var policy: String

  @Option(help: "The folder to write knowledge/ and intents/ into.")
  var out: String

  @Option(help: "The organisation's name (default: from the policy's title).")
  var organisation: String?

  @Option(help: "The address people write to about privacy (default: the first in the policy).")
  var contact: String?

  @Option(help: "The date the policy was last updated, YYYY-MM-DD (default: from the text).")
  var date: String?

  @Option(help: "The home whose intents and gate data are copied (default: $POLICYCHAT_HOME, else the current folder).")
  var template: String?

  @Flag(help: "Replace knowledge/ and intents/ already in the output folder.")
  var force = false

  func validate() throws {
    if let date, date.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) == nil {
      throw ValidationError("--date takes YYYY-MM-DD, not \(date)")
    }
  }

  func run() throws {
    let templatePath = GlobalOptions.homePath(template, environment: ProcessInfo.processInfo.environment)
    let importer = PolicyImporter(
      template: URL(fileURLWithPath: templatePath, isDirectory: true),
      options: .init(organisation: organisation, contact: contact, lastUpdated: date, force: force))
    do {
      let output = URL(fileURLWithPath: out, isDirectory: true)
      try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
      print(try importer.run(path: policy, output: output))
    } catch let refusal as ImportedPolicy.Refusal {
      StandardError.write("policychat: import: \(refusal.description)")
      throw ExitCode(2)
    } catch {
      StandardError.write("policychat: import: cannot make \(out): \(error.localizedDescription)")
      throw ExitCode(2)
    }
  }
}
