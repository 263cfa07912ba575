import ArgumentParser
import Foundation
import PolicyChat

/// `policychat admin new-key FILE`: writes a new data key, readable by its owner alone.
struct NewKeyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "new-key",
    abstract: "Write a new data key (64 hexadecimal digits) to a file made with mode 0600.",
    discussion: "Refuses to overwrite an existing file. docs/SECURITY.md describes a rotation."
  )

  @Argument(help: "The file to create.")
  var file: String

  func run() throws {
    do {
      guard try DataKeys.createKeyFile(at: file) else {
        StandardError.write("policychat: cannot create \(file): File exists (a key is never overwritten)")
        throw ExitCode(2)
      }
    } catch let error as EngineError {
      StandardError.write("policychat: \(error.description)")
      throw ExitCode(2)
    }
    print("Wrote a new data key to \(file).")
  }
}

/// `policychat admin rekey --key-file NEW --previous-key-file OLD`: seals every stored
/// contact detail under the current key. Opening the store does the work; this command
/// does it at a time of the officer's choosing and says what it did.
struct RekeyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rekey",
    abstract: "Encrypt every stored contact detail with the current data key (after a rotation).",
    discussion: """
      Give the new key with --key-file and each earlier key with --previous-key-file. Values \
      still in the clear, or sealed with an earlier key, are sealed with the new key in one \
      transaction. Afterwards the earlier keys are no longer needed.
      """
  )

  @OptionGroup var options: GlobalOptions

  func run() throws {
    do {
      let database = try options.configuration().database
      let keys = try options.dataKeys(for: database)
      let store = try options.openStore(database)
      let sealed = try keys.sealContactDetails(in: store)
      print("Data key \(keys.currentId): \(sealed) contact details encrypted with it now.")
      print("Every stored contact detail is encrypted with data key \(keys.currentId).")
      // The values sealed with an earlier key must not stay in the write-ahead log.
      do { try store.closeDatabase() } catch { StandardError.write("policychat: warning: \(error.description)") }
    } catch {
      StandardError.write("policychat: \(error.description)")
      throw ExitCode(2)
    }
  }
}
