import Dispatch
import Synchronization

/// Runs a stream of requests on several threads and writes their responses in the order
/// the requests came, for `policychat serve --jobs`.
///
/// - Requests about one session run one after another, in the order read: a session's
///   turns build on each other. Its requests stay on one lane (a serial queue) while any
///   of them is waiting or running; once none is, its next request may go to any lane.
/// - Requests about different sessions may run at once, on different lanes. The engine
///   already lets two sessions take turns at the same time (two tabs, two processes), and
///   every turn commits before its response exists, so a response still means committed.
/// - A request that names no session (`initialize`, `session.open`, a line that is not a
///   request) waits until everything read before it is answered, then runs alone: it sees
///   every earlier effect, as with one lane.
/// - Responses are written in request order, whatever order the work finishes in. The
///   lanes hand each one over and whichever lane finds the writer idle writes every
///   response that is next in order, several in one write when they are ready together.
///
/// At most `window` requests are read ahead of the last one written, so a front end that
/// pipelines a million lines does not make the server hold them all.
public final class RequestLanes: Sendable {
  private struct State: Sendable {
    var nextSequence = 0
    var nextToWrite = 0
    /// Finished responses not yet written, by sequence; an empty list for no response.
    var finished: [Int: [String]] = [:]
    var writing = false
    /// The writer reported that nobody reads any more.
    var gone = false
    /// The lane and the count of waiting or running requests of each session that has any.
    var sessions: [String: (lane: Int, pending: Int)] = [:]
    var queued: [Int]
  }

  private let queues: [DispatchQueue]
  private let state: Mutex<State>
  private let group = DispatchGroup()
  private let window: DispatchSemaphore
  private let write: @Sendable ([String]) -> Bool

  /// `write` writes lines in order and says false once the reader has gone.
  public init(lanes: Int, window: Int = 256, write: @escaping @Sendable ([String]) -> Bool) {
    let count = max(1, lanes)
    queues = (0..<count).map { DispatchQueue(label: "policychat.serve.lane\($0)") }
    state = Mutex(State(queued: [Int](repeating: 0, count: count)))
    self.window = DispatchSemaphore(value: max(1, window))
    self.write = write
  }

  /// Whether the reader of the responses has gone (a write failed): stop reading.
  public var readerGone: Bool {
    state.withLock { $0.gone }
  }

  /// Schedules one request. `session` nil: runs on the calling thread once every request
  /// submitted before it is answered. Call from one thread, in the order read.
  ///
  /// `inlineWhenIdle`: when every earlier request is answered already, run this one on the
  /// calling thread too. A front end waiting for each answer (one request in the pipe at a
  /// time) then never pays for handing its request to another thread and waking it; the
  /// reader passes it for the last request of what one read brought, so that a burst
  /// still spreads over the lanes.
  public func submit(session: String?, inlineWhenIdle: Bool = false, _ work: @escaping @Sendable () -> String?) {
    let idle = inlineWhenIdle && state.withLock { $0.nextToWrite == $0.nextSequence }
    guard let session, !idle else {
      if !idle { group.wait() }
      let sequence = state.withLock { state in
        defer { state.nextSequence += 1 }
        return state.nextSequence
      }
      finish(sequence, work())
      return
    }
    window.wait()
    let (sequence, lane) = state.withLock { state in
      let lane: Int
      if let entry = state.sessions[session] {
        lane = entry.lane
        state.sessions[session] = (lane, entry.pending + 1)
      } else {
        lane = state.queued.indices.min { state.queued[$0] < state.queued[$1] } ?? 0
        state.sessions[session] = (lane, 1)
      }
      state.queued[lane] += 1
      defer { state.nextSequence += 1 }
      return (state.nextSequence, lane)
    }
    group.enter()
    queues[lane].async { [self] in
      let response = work()
      state.withLock { state in
        state.queued[lane] -= 1
        if let entry = state.sessions[session] {
          state.sessions[session] = entry.pending > 1 ? (entry.lane, entry.pending - 1) : nil
        }
      }
      finish(sequence, response)
      window.signal()
      group.leave()
    }
  }

  /// Waits until every request submitted is answered and its response written.
  public func drain() {
    group.wait()
  }

  /// Hands a response over and, unless another lane is writing, writes every response
  /// that is next in order, outside the lock so that lanes keep handing theirs over.
  private func finish(_ sequence: Int, _ response: String?) {
    var lines = state.withLock { state -> [String]? in
      state.finished[sequence] = response.map { [$0] } ?? []
      guard !state.writing else { return nil }
      state.writing = true
      return Self.takeInOrder(&state)
    }
    while let batch = lines {
      let written = batch.isEmpty || write(batch)
      lines = state.withLock { state -> [String]? in
        if !written { state.gone = true }
        let more = Self.takeInOrder(&state)
        guard !more.isEmpty else {
          state.writing = false
          return nil
        }
        return more
      }
    }
  }

  /// The responses that are next in order, taken out of `finished`; those of a gone
  /// reader are dropped.
  private static func takeInOrder(_ state: inout State) -> [String] {
    var lines: [String] = []
    while let response = state.finished.removeValue(forKey: state.nextToWrite) {
      if !state.gone { lines += response }
      state.nextToWrite += 1
    }
    return lines
  }
}
