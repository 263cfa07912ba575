import Foundation

/// The questions the benchmark asks, read from the test fixtures of the repository.
enum Fixtures {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  static func folder(home: URL) -> URL {
    home.appendingPathComponent("Tests/PolicyChatTests/Fixtures", isDirectory: true)
  }

  /// The `q` field of every line of `dev_questions.jsonl`.
  static func devQuestions(home: URL) throws(Failure) -> [String] {
    struct Line: Decodable {
      var q: String
    }
    let decoder = JSONDecoder()
    let file = folder(home: home).appendingPathComponent("dev_questions.jsonl")
    return try lines(of: file).enumerated().map { (number, line) throws(Failure) in
      do {
        return try decoder.decode(Line.self, from: Data(line.utf8)).q
      } catch {
        throw Failure(description: "\(file.path):\(number + 1): not a JSON object with a string field \"q\"")
      }
    }
  }

  /// The first column of `privacyqa_train.tsv`, without its header.
  static func privacyQAQuestions(home: URL) throws(Failure) -> [String] {
    let file = folder(home: home).appendingPathComponent("privacyqa_train.tsv")
    return try lines(of: file).dropFirst().compactMap { line in
      line.split(separator: "\t", omittingEmptySubsequences: false).first.map(String.init)
    }.filter { !$0.isEmpty }
  }

  private static func lines(of file: URL) throws(Failure) -> [String] {
    let text: String
    do {
      text = try String(contentsOf: file, encoding: .utf8)
    } catch {
      throw Failure(description: "cannot read \(file.path); is --home the repository root?")
    }
    return text.split(whereSeparator: \.isNewline).map(String.init).filter {
      !$0.trimmingCharacters(in: .whitespaces).isEmpty
    }
  }
}
