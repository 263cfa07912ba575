import Foundation
import Synchronization

/// The open sessions of one engine, each with the changes other sessions made to it.
///
/// A turn works on its own copy of a session's state. Nothing writes into another session's
/// copy: a change that concerns another session (a consent given on the same device, a
/// restriction put in force, a parent's answer) is posted to it as a ``SessionChange`` and
/// applied when that session's state is next taken or put back. A change posted while the
/// other session is in the middle of a turn is therefore applied on top of what that turn
/// wrote, not overwritten by it; and two turns of one session run one after the other.
final class SessionTable: Sendable {
  private struct Entry: Sendable {
    var state: SessionState
    /// Changes posted since the state was last taken for a turn.
    var inbox: [SessionChange] = []
    /// Serialises the turns of this session (a host sending two at once).
    let turnLock = TurnLock()
  }

  private let entries = Mutex<[String: Entry]>([:])

  func open(_ state: SessionState) {
    entries.withLock { $0[state.id] = Entry(state: state) }
  }

  /// Removes a session; false when it was not open.
  func close(_ id: String) -> Bool {
    entries.withLock { $0.removeValue(forKey: id) } != nil
  }

  func isOpen(_ id: String) -> Bool {
    entries.withLock { $0[id] != nil }
  }

  /// The session's state with every change posted to it applied, for reading.
  func state(of id: String) -> SessionState? {
    entries.withLock { entries in
      guard var entry = entries[id] else { return nil }
      entry.state.apply(entry.inbox)
      return entry.state
    }
  }

  /// Runs one turn of a session: `body` gets the state with all posted changes applied,
  /// and what it leaves is kept with the changes posted meanwhile applied on top (unless
  /// the session was closed meanwhile). Throws `.unknownSession` for a session not open.
  func turn<T>(
    _ id: String, _ body: (inout SessionState) throws(EngineError) -> T
  ) throws(EngineError) -> T {
    guard let lock = entries.withLock({ $0[id]?.turnLock }) else { throw .unknownSession }
    return try lock.run { () throws(EngineError) -> T in
      guard var state = take(id) else { throw .unknownSession }
      let result = try body(&state)
      put(state)
      return result
    }
  }

  /// Posts a change to every open session `matches` selects (but `except`).
  func post(_ change: SessionChange, except: String? = nil, to matches: (SessionState) -> Bool) {
    entries.withLock { entries in
      for (id, entry) in entries where id != except && matches(entry.state) {
        entries[id]?.inbox.append(change)
      }
    }
  }

  private func take(_ id: String) -> SessionState? {
    entries.withLock { entries in
      guard var entry = entries[id] else { return nil }
      entry.state.apply(entry.inbox)
      entry.inbox = []
      entries[id] = entry
      return entry.state
    }
  }

  private func put(_ state: SessionState) {
    entries.withLock { entries in
      guard var entry = entries[state.id] else { return }
      var updated = state
      updated.apply(entry.inbox)
      entry.state = updated
      entry.inbox = []
      entries[state.id] = entry
    }
  }
}

/// What one session changed that another must see: posted by the engine, applied by
/// ``SessionTable`` to the other session's state (never written into its copy).
enum SessionChange: Sendable {
  /// The person's consent for a purpose changed in another session of the same subject.
  case consent(ConsentRecord)
  /// A restriction of processing was put in force or lifted for the session's subject.
  case restricted(Bool)
  /// The parental consent the child's session asked for changed status (scope nil: any).
  case parentalConsent(status: String, scope: String?)
}

extension SessionState {
  mutating func apply(_ changes: [SessionChange]) {
    for change in changes {
      switch change {
      case .consent(let record):
        // The later record stands: this session may have changed the same purpose itself
        // while the change was on its way.
        if let current = consents[record.purpose], current.at > record.at { continue }
        consents[record.purpose] = record
      case .restricted(let value):
        restricted = value
      case .parentalConsent(let status, let scope):
        parentalStatus = status
        if status == "verified" {
          consentedScopes.insert(scope ?? "*")
        } else {
          consentedScopes.remove(scope ?? "*")
        }
      }
    }
  }
}

/// A lock held for the length of a turn. A class so that the table's entries can share it
/// while the table's own lock is not held.
private final class TurnLock: Sendable {
  private let mutex = Mutex(())

  func run<T>(_ body: () throws(EngineError) -> T) throws(EngineError) -> T {
    try mutex.withLock { _ throws(EngineError) -> T in try body() }
  }
}
