/// A transcript that cannot be read: the file, the line and what is wrong.
public struct TranscriptError: Error, Sendable, Equatable, CustomStringConvertible {
  public var file: String
  public var line: Int?
  public var reason: String

  public var description: String {
    if let line { "\(file):\(line): \(reason)" } else { "\(file): \(reason)" }
  }
}
