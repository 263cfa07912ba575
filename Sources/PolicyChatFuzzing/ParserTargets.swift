import PolicyChat
import PolicyChatReplay

/// The readers of the data files and transcripts: bad input must be refused with their own
/// typed error, never crash, hang or throw something else.
enum ParserTargets {
  /// Cue sets an intent may `require`, as in intents/nlu/lexicon.yaml, so that inputs naming
  /// one get past that check into pattern compilation.
  private static let cueNames: Set = ["request", "definition", "about_policy", "followup", "yes", "no"]

  static func transcript(_ text: String) {
    do {
      let transcript = try TranscriptParser.parse(text, file: "fuzz.yaml")
      require(transcript.file == "fuzz.yaml", "a transcript that forgot its file")
    } catch let error as TranscriptError {
      // The documented refusal, with a line and a reason.
      require(error.file == "fuzz.yaml", "a transcript error without the file's name")
    } catch {
      fatalError("TranscriptParser threw \(type(of: error)), not a TranscriptError")
    }
  }

  static func intentFile(_ text: String) {
    do {
      let intents = try IntentCatalog.intents(yaml: text, file: "intents/fuzz.yaml", cueNames: cueNames)
      for intent in intents {
        require(intent.reply != nil || !intent.answer.isEmpty, "an intent with nothing to say was accepted")
      }
    } catch {
      // Typed throws: every refusal is an EngineError naming the file.
      require(error.description.contains("intents/fuzz.yaml"), "an intent file error without the file's name")
    }
  }

  static func knowledgeSection(_ text: String) {
    do {
      let section = try FrontMatterParser.parse(text, file: "knowledge/sections/fuzz.md")
      require(!section.id.isEmpty, "a section without an id was accepted")
    } catch {
      require(error.description.contains("fuzz.md"), "a section file error without the file's name")
    }
  }
}
