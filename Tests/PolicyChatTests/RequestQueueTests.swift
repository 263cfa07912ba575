import Foundation
import PolicyChat
import Testing

/// The privacy officer's queue as the engine judges it: what is overdue, by how long.
@Suite("Request queue")
struct RequestQueueTests {
  private let clock = ManualClock(TestEngine.start)

  private func complaint(_ engine: Engine, _ text: String) throws -> String {
    let id = try engine.openSession(SessionOptions(country: "ZA")).sessionId
    _ = try engine.perform(.declareAge("1990-05-01"), in: id)
    _ = try engine.send("I want to complain about my data being misused", to: id)
    let sent = try engine.send("thandi@example.org", to: id)
    let code = try #require(sent.events.first { $0.type == "verification.send" }?.data["code"])
    _ = try engine.send(code, to: id)
    let done = try engine.send(text, to: id).text
    let range = try #require(done.range(of: #"RQ-[A-Z0-9]{6}"#, options: .regularExpression))
    return String(done[range])
  }

  @Test("Overdue requests come first, with the days begun past their due date")
  func overdueFirst() throws {
    let engine = try TestEngine.make(seed: 5, clock: clock)
    let early = try complaint(engine, "you shared my data")
    clock.advance(by: 10 * 86_400)
    let later = try complaint(engine, "you sold my data")
    let extended = try engine.extendRequest(later, reason: "we need the call logs", by: "nomsa")
    clock.advance(by: 25 * 86_400)

    let queue = try engine.requestQueue()
    #expect(queue.map(\.record.reference) == [early, later])
    let first = try #require(queue.first)
    #expect(first.due == first.record.dueAt && !first.isExtended)
    #expect(first.daysOverdue == Int(clock.now().timeIntervalSince(first.due) / 86_400) + 1)
    #expect(queue.last?.isExtended == true && queue.last?.due == extended.extendedAt)
    #expect(queue.last?.daysOverdue == nil)

    #expect(try engine.requestQueue(QueueSelection(overdueOnly: true)).map(\.record.reference) == [early])
    #expect(try engine.queuedRequest(early.lowercased())?.isOverdue == true)
  }

  @Test("A closed request is never overdue")
  func closedNotOverdue() throws {
    let engine = try TestEngine.make(seed: 5, clock: clock)
    let reference = try complaint(engine, "you shared my data")
    _ = try engine.completeRequest(reference, note: nil, by: "nomsa")
    clock.advance(by: 90 * 86_400)
    #expect(try engine.queuedRequest(reference)?.daysOverdue == nil)
  }
}
