import Foundation

/// Diagnostics for people: never personal data, never on stdout.
enum StandardError {
  static func write(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }
}
