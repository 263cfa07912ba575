import Foundation
import PolicyChat

/// The timed runs: engine construction, and `send` over a list of questions.
struct Measurements {
  let home: URL

  /// Every run sees the same time and the same session ids, as in a replay.
  private func configuration() -> EngineConfiguration {
    EngineConfiguration(
      home: home, database: .inMemory, clock: ManualClock(Date(timeIntervalSince1970: 1_767_225_600)),
      random: SeededRandomSource(seed: 1))
  }

  func makeEngine() throws(EngineError) -> Engine {
    try Engine(configuration: configuration())
  }

  /// The time of each of `runs` constructions: reading knowledge/ and intents/, then
  /// building the in-memory FTS5 index and opening the in-memory store.
  func startUp(runs: Int) throws(EngineError) -> [Duration] {
    let clock = ContinuousClock()
    var samples: [Duration] = []
    samples.reserveCapacity(runs)
    for _ in 0..<runs {
      let start = clock.now
      let engine = try makeEngine()
      samples.append(start.duration(to: clock.now))
      withExtendedLifetime(engine) {}
    }
    return samples
  }

  struct Latencies {
    /// One per `send`.
    var samples: [Duration]
    /// The whole loop, opening and closing of sessions included.
    var wall: Duration

    var turnsPerSecond: Double { Double(samples.count) / wall.seconds }
  }

  /// Each question in a fresh session, `rounds` times over; only `send` is timed.
  func latencies(engine: Engine, questions: [String], rounds: Int) throws(EngineError) -> Latencies {
    let clock = ContinuousClock()
    var samples: [Duration] = []
    samples.reserveCapacity(questions.count * rounds)
    let loopStart = clock.now
    for _ in 0..<rounds {
      for question in questions {
        let sessionId = try engine.openSession().sessionId
        let start = clock.now
        let turn = try engine.send(question, to: sessionId)
        samples.append(start.duration(to: clock.now))
        withExtendedLifetime(turn) {}
        try engine.closeSession(sessionId)
      }
    }
    return Latencies(samples: samples, wall: loopStart.duration(to: clock.now))
  }
}
