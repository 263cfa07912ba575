import Foundation
import PolicyChat
import Synchronization

/// Replays transcript files: finds them, runs them in parallel, and reports.
public struct Replay: Sendable {
  public struct Options: Sendable {
    public var home: URL
    /// Only transcripts whose name (or file) contains this text.
    public var filter: String?
    /// Rewrite failing expectations from the actual output.
    public var update: Bool
    /// Where each file keeps its records: by default a new in-memory SQLite database.
    public var database: any ReplayDatabase

    public init(
      home: URL, filter: String? = nil, update: Bool = false, database: any ReplayDatabase = InMemoryReplayDatabase()
    ) {
      self.home = home
      self.filter = filter
      self.update = update
      self.database = database
    }
  }

  /// What a run produced: one result per transcript, in file order, and the files that
  /// could not be read.
  public struct Outcome: Sendable {
    public var results: [ReplayResult]
    public var errors: [TranscriptError]
    /// Files rewritten by `--update`, with the keys changed.
    public var updated: [String]
    /// Wall-clock time of the whole run, transcripts in parallel.
    public var seconds: Double = 0

    public var failed: Int { results.filter { !$0.passed }.count + errors.count }
    public var passed: Int { results.filter(\.passed).count }
  }

  public let options: Options

  public init(options: Options) {
    self.options = options
  }

  /// Transcript files under the paths: `.yaml`/`.yml` transcripts and `.jsonl` wire
  /// recordings, sorted.
  public static func files(in paths: [String]) -> (files: [String], missing: [String]) {
    var files: [String] = []
    var missing: [String] = []
    for path in paths {
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
        missing.append(path)
        continue
      }
      guard isFolder.boolValue else {
        files.append(path)
        continue
      }
      let walker = FileManager.default.enumerator(atPath: path)
      while let name = walker?.nextObject() as? String {
        if ["yaml", "yml", "jsonl"].contains((name as NSString).pathExtension) {
          files.append((path as NSString).appendingPathComponent(name))
        }
      }
    }
    return (files.sorted(), missing)
  }

  public func run(files: [String]) -> Outcome {
    let started = ContinuousClock.now
    // The policy is loaded once and shared; each transcript gets its own engine over it.
    let policy: Result<PolicyData, TranscriptError>
    do {
      policy = .success(try PolicyData.load(home: options.home))
    } catch {
      policy = .failure(TranscriptError(file: options.home.path, line: nil, reason: "\(error)"))
    }
    let slots = Mutex<[Int: Result<ReplayResult?, TranscriptError>]>([:])
    DispatchQueue.concurrentPerform(iterations: files.count) { index in
      let outcome = policy.flatMap { replay(file: files[index], policy: $0) }
      slots.withLock { $0[index] = outcome }
    }
    var outcome = Outcome(results: [], errors: [], updated: [])
    let collected = slots.withLock { $0 }
    for index in files.indices {
      switch collected[index] {
      case .success(let result?)?:
        outcome.results.append(result)
        if options.update, !result.updates.isEmpty, writeUpdates(result) {
          outcome.updated.append(result.file)
        }
      case .failure(let error)?: outcome.errors.append(error)
      case .success(nil)?, nil: break
      }
    }
    outcome.seconds = secondsSince(started)
    return outcome
  }

  /// The result of one file; nil when the filter leaves it out. A file that cannot be read
  /// is an error whatever the filter, as its name is unknown.
  private func replay(file: String, policy: PolicyData) -> Result<ReplayResult?, TranscriptError> {
    guard let data = FileManager.default.contents(atPath: file) else {
      return .failure(TranscriptError(file: file, line: nil, reason: "cannot read the file"))
    }
    guard let text = String(data: data, encoding: .utf8) else {
      return .failure(TranscriptError(file: file, line: nil, reason: "not valid UTF-8"))
    }
    do {
      if file.hasSuffix(".jsonl") {
        let recording = try WireRecording.parse(text, file: file)
        let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        guard selected(name: name, file: file) else { return .success(nil) }
        return .success(recording.replay(file: file, name: name, policy: policy, database: options.database))
      }
      let transcript = try TranscriptParser.parse(text, file: file)
      guard selected(name: transcript.name, file: file) else { return .success(nil) }
      return .success(TranscriptRunner(policy: policy, database: options.database).run(transcript))
    } catch let error as TranscriptError {
      return .failure(error)
    } catch {
      return .failure(TranscriptError(file: file, line: nil, reason: "\(error)"))
    }
  }

  private func selected(name: String, file: String) -> Bool {
    options.filter.map { name.contains($0) || file.contains($0) } ?? true
  }

  private func writeUpdates(_ result: ReplayResult) -> Bool {
    guard !result.file.hasSuffix(".jsonl"),
      let data = FileManager.default.contents(atPath: result.file),
      let text = String(data: data, encoding: .utf8)
    else { return false }
    let updated = TranscriptUpdater.apply(result.updates, to: text)
    guard updated != text else { return false }
    return FileManager.default.createFile(atPath: result.file, contents: Data(updated.utf8))
  }
}
