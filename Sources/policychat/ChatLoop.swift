import Foundation
import PolicyChat
import PolicyChatReplay

/// What both chat front ends share: the session, the front end's own slash commands
/// (`/quit`, `/record`, `/stop`), and recording the conversation as a transcript.
final class ChatLoop {
  enum Outcome {
    case reply(String)
    case quit
  }

  private let options: GlobalOptions
  private let session: SessionOptions
  private let renderer: TurnRenderer
  private var engine: Engine
  private var sessionId = ""
  private var recording: (recorder: TranscriptRecorder, path: String)?
  /// What the engine lets a history of typed lines do with the last line handled.
  private(set) var history = HistoryUpdate.nothing

  /// `recordTo`: record the whole conversation into this transcript file.
  init(
    options: GlobalOptions, recordTo path: String?, session: SessionOptions = SessionOptions(),
    developmentMode: Bool = false
  ) throws {
    self.options = options
    self.session = session
    renderer = TurnRenderer(developmentMode: developmentMode)
    if let path {
      let (engine, recorder) = try Self.recordingEngine(options: options, name: Self.name(of: path), session: session)
      self.engine = engine
      recording = (recorder, path)
    } else {
      engine = try options.makeEngine()
    }
  }

  /// Opens the session; returns the opening text (its first line discloses the assistant).
  func open() throws -> String {
    let turn = try engine.openSession(session)
    sessionId = turn.sessionId
    return renderer.render(turn)
  }

  /// Whether history kept in earlier sessions may be offered again in this one.
  var mayRecallHistory: Bool {
    (try? engine.mayRecallHistory(in: sessionId)) ?? false
  }

  func handle(_ line: String) throws -> Outcome? {
    // The front end's own commands and a turn that failed leave nothing for history.
    history = .nothing
    let message = line.trimmingCharacters(in: .whitespaces)
    if message.isEmpty { return nil }
    let words = message.split(separator: " ", maxSplits: 1).map(String.init)
    switch words.first?.lowercased() {
    case "/quit":
      return .quit
    case "/record":
      return .reply(try startRecording(name: words.count > 1 ? words[1] : ""))
    case "/stop":
      return .reply(stopRecording() ?? "Nothing is being recorded. Start with /record NAME.")
    default:
      guard let sent = try send(message) else { return nil }
      let turn = sent.turn
      history = sent.history
      recording?.recorder.add(user: message, turn: turn)
      return .reply(renderer.render(turn))
    }
  }

  /// The turn, or nil when a consent or a request could not be written: then one line on
  /// stderr, and the chat goes on, as questions are still answered. The reason is SQLite's,
  /// never what was typed.
  private func send(_ message: String) throws(EngineError) -> SentMessage? {
    do {
      return try engine.sendKeepingHistory(message, to: sessionId)
    } catch {
      guard case .storage(let reason) = error else { throw error }
      StandardError.write("policychat: storage error: \(reason); nothing was recorded, questions are still answered")
      return nil
    }
  }

  /// Closes the session, and writes a recording still open.
  func close() {
    if let note = stopRecording() { StandardError.write(note) }
    try? engine.closeSession(sessionId)
    engine.shutDown()
  }

  /// `/record NAME`: a fresh session on a fixed clock and a new seed, so that the
  /// transcript replays as it happened, written to transcripts/NAME.yaml at `/stop`.
  private func startRecording(name: String) throws -> String {
    let name = name.trimmingCharacters(in: .whitespaces)
    guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
      return "Usage: /record NAME (letters, digits, - and _), then /stop to write transcripts/NAME.yaml."
    }
    _ = stopRecording()
    let (engine, recorder) = try Self.recordingEngine(options: options, name: name, session: session)
    try? self.engine.closeSession(sessionId)
    self.engine.shutDown()
    self.engine = engine
    let path = "transcripts/\(name).yaml"
    recording = (recorder, path)
    let opening = try open()
    return "Recording a new session to \(path); /stop writes it.\n\n" + opening
  }

  private func stopRecording() -> String? {
    guard let (recorder, path) = recording else { return nil }
    recording = nil
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    guard FileManager.default.createFile(atPath: path, contents: Data(recorder.yaml.utf8)) else {
      return "Could not write \(path)."
    }
    return "Wrote \(path). Replay it with: policychat replay \(path)"
  }

  private static func recordingEngine(
    options: GlobalOptions, name: String, session: SessionOptions
  ) throws -> (Engine, TranscriptRecorder) {
    // Whole seconds, so that the time written in the transcript is the time replayed.
    let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
    let seed = UInt64.random(in: 0...UInt64(Int.max))
    let engine = try options.makeEngine(clock: ManualClock(now), seed: seed)
    return (engine, TranscriptRecorder(name: name, now: now, seed: seed, session: session))
  }

  private static func name(of path: String) -> String {
    ((path as NSString).lastPathComponent as NSString).deletingPathExtension
  }
}
