import Dispatch
import Foundation
import PolicyChatProtocol
import Synchronization
import Testing

/// `serve --jobs`: requests of different sessions at once, of one session in order,
/// responses always in request order.
@Suite("Request lanes")
struct RequestLanesTests {
  /// What the lanes wrote, write by write.
  final class Output: Sendable {
    let writes = Mutex<[[String]]>([])
    let accepting: Mutex<Bool>

    init(accepting: Bool = true) { self.accepting = Mutex(accepting) }

    func write(_ lines: [String]) -> Bool {
      writes.withLock { $0.append(lines) }
      return accepting.withLock { $0 }
    }

    var lines: [String] { writes.withLock { $0.flatMap { $0 } } }
  }

  @Test("A response that is ready first still waits for those of earlier requests")
  func responsesComeInRequestOrder() {
    let output = Output()
    let lanes = RequestLanes(lanes: 2, write: output.write)
    let secondDone = DispatchSemaphore(value: 0)
    lanes.submit(session: "a") {
      // The first request finishes only once the second (another session) has.
      secondDone.wait()
      return "first"
    }
    lanes.submit(session: "b") {
      defer { secondDone.signal() }
      return "second"
    }
    lanes.drain()
    #expect(output.lines == ["first", "second"])
  }

  @Test("One session's requests never overlap and run in the order read")
  func oneSessionRunsInOrder() {
    let output = Output()
    let lanes = RequestLanes(lanes: 4, write: output.write)
    let running = Mutex<[String: Int]>([:])
    let overlapped = Atomic(false)
    let order = Mutex<[String: [Int]]>([:])
    for number in 0..<400 {
      let session = "s\(number % 3)"
      lanes.submit(session: session) {
        let already = running.withLock { running in
          defer { running[session, default: 0] += 1 }
          return running[session, default: 0]
        }
        if already > 0 { overlapped.store(true, ordering: .relaxed) }
        order.withLock { $0[session, default: []].append(number) }
        usleep(UInt32(number % 7) * 20)
        running.withLock { $0[session, default: 0] -= 1 }
        return "\(number)"
      }
    }
    lanes.drain()
    let anyOverlap = overlapped.load(ordering: .relaxed)
    #expect(!anyOverlap)
    for (session, numbers) in order.withLock({ $0 }) {
      #expect(numbers == numbers.sorted(), "\(session) ran out of order")
      #expect(numbers.count > 100)
    }
    #expect(output.lines == (0..<400).map { "\($0)" })
  }

  @Test("Different sessions do run at the same time")
  func differentSessionsOverlap() {
    let output = Output()
    let lanes = RequestLanes(lanes: 2, write: output.write)
    // Each waits for the other to have started: this finishes only if they run at once.
    let started = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
    let met = Atomic(0)
    lanes.submit(session: "a") {
      started.0.signal()
      if started.1.wait(timeout: .now() + 10) == .success { met.add(1, ordering: .relaxed) }
      return "a"
    }
    lanes.submit(session: "b") {
      started.1.signal()
      if started.0.wait(timeout: .now() + 10) == .success { met.add(1, ordering: .relaxed) }
      return "b"
    }
    lanes.drain()
    let meetings = met.load(ordering: .relaxed)
    #expect(meetings == 2)
    #expect(output.lines == ["a", "b"])
  }

  @Test("A request that names no session runs after everything before it, alone")
  func noSessionIsABarrier() {
    let output = Output()
    let lanes = RequestLanes(lanes: 3, write: output.write)
    let finished = Atomic(0)
    for number in 0..<30 {
      lanes.submit(session: "s\(number % 5)") {
        usleep(200)
        finished.add(1, ordering: .relaxed)
        return "turn"
      }
    }
    let seen = Atomic(-1)
    lanes.submit(session: nil) {
      seen.store(finished.load(ordering: .relaxed), ordering: .relaxed)
      return "barrier"
    }
    lanes.drain()
    let finishedBefore = seen.load(ordering: .relaxed)
    #expect(finishedBefore == 30)
    #expect(output.lines.last == "barrier")
    #expect(output.lines.count == 31)
  }

  @Test("Notifications write nothing and hold nothing up")
  func notificationsWriteNothing() {
    let output = Output()
    let lanes = RequestLanes(lanes: 2, write: output.write)
    lanes.submit(session: "a") { nil }
    lanes.submit(session: "b") { "answer" }
    lanes.submit(session: nil) { nil }
    lanes.submit(session: "a") { "last" }
    lanes.drain()
    #expect(output.lines == ["answer", "last"])
    #expect(output.writes.withLock { $0.allSatisfy { !$0.isEmpty } })
  }

  @Test("Once the reader has gone, nothing more is written and nothing waits for it")
  func readerGone() {
    let output = Output(accepting: false)
    let lanes = RequestLanes(lanes: 2, window: 4, write: output.write)
    lanes.submit(session: "a") { "first" }
    lanes.drain()
    #expect(lanes.readerGone)
    for number in 0..<20 { lanes.submit(session: "s\(number % 3)") { "more" } }
    lanes.drain()
    #expect(output.lines == ["first"])
  }
}
