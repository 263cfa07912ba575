import Foundation

/// A rights request as the privacy officer's queue shows it, read at the engine's clock.
public struct QueuedRequest: Sendable, Equatable {
  public var record: RequestRecord
  /// When it is due: the extended date where it was extended.
  public var due: Date
  public var isExtended: Bool
  /// Days past due, a day begun counting whole (1 from the moment it is overdue); nil for a
  /// request that is not overdue: closed, or open and not yet due.
  public var daysOverdue: Int?

  public var isOverdue: Bool { daysOverdue != nil }

  init(_ record: RequestRecord, at now: Date) {
    self.record = record
    due = record.extendedAt ?? record.dueAt
    isExtended = record.extendedAt != nil
    daysOverdue = record.status == "open" && due < now ? Int(now.timeIntervalSince(due) / 86_400) + 1 : nil
  }
}

/// Which requests of the queue to show.
public struct QueueSelection: Sendable, Equatable {
  public var openOnly: Bool
  /// Only open requests past their due date.
  public var overdueOnly: Bool
  /// Only open requests due within this many days.
  public var dueWithinDays: Int?
  /// Only requests of this type (`access`, `erasure`, ...).
  public var type: String?

  public init(openOnly: Bool = false, overdueOnly: Bool = false, dueWithinDays: Int? = nil, type: String? = nil) {
    self.openOnly = openOnly
    self.overdueOnly = overdueOnly
    self.dueWithinDays = dueWithinDays
    self.type = type
  }
}

extension Engine {
  /// The officer's queue: overdue requests first, then the rest, each by due date. Every
  /// request is judged at one instant, so that the selection and the marks agree.
  public func requestQueue(_ selection: QueueSelection = QueueSelection()) throws(EngineError) -> [QueuedRequest] {
    let now = clock.now()
    var filter = RequestFilter(openOnly: selection.openOnly, type: selection.type)
    if selection.overdueOnly { filter.overdueAt = now }
    if let days = selection.dueWithinDays { filter.dueBefore = now.addingTimeInterval(Double(days) * 86_400) }
    let queued = try requests(filter).map { QueuedRequest($0, at: now) }
    return queued.filter(\.isOverdue) + queued.filter { !$0.isOverdue }
  }

  /// One request as the queue shows it, by its reference.
  public func queuedRequest(_ reference: String) throws(EngineError) -> QueuedRequest? {
    try request(reference).map { QueuedRequest($0, at: clock.now()) }
  }
}
