import Dispatch
import Synchronization

/// Runs independent pieces of work at the same time, each on a thread of its own, and
/// waits for all of them. For start-up, which is mostly parsing files that do not
/// depend on each other, on machines that have more than one core.
enum Concurrently {
  static func run<A: Sendable, B: Sendable, C: Sendable>(
    _ first: @Sendable () throws(EngineError) -> A,
    _ second: @Sendable () throws(EngineError) -> B,
    _ third: @Sendable () throws(EngineError) -> C
  ) -> (Result<A, EngineError>, Result<B, EngineError>, Result<C, EngineError>) {
    let a = Mutex<Result<A, EngineError>?>(nil)
    let b = Mutex<Result<B, EngineError>?>(nil)
    let c = Mutex<Result<C, EngineError>?>(nil)
    DispatchQueue.concurrentPerform(iterations: 3) { part in
      switch part {
      case 0:
        let result = Result { () throws(EngineError) in try first() }
        a.withLock { $0 = result }
      case 1:
        let result = Result { () throws(EngineError) in try second() }
        b.withLock { $0 = result }
      default:
        let result = Result { () throws(EngineError) in try third() }
        c.withLock { $0 = result }
      }
    }
    // concurrentPerform returns only when every part has run, so each result is set.
    let unfinished = EngineError.storage(reason: "start-up work did not finish")
    return (
      a.withLock { $0 } ?? .failure(unfinished), b.withLock { $0 } ?? .failure(unfinished),
      c.withLock { $0 } ?? .failure(unfinished)
    )
  }
}
