import Foundation
import PolicyChat

/// Where replayed files keep their records. Each file gets a store of its own, new and
/// empty, so that files share nothing and replay in any order, in parallel.
public protocol ReplayDatabase: Sendable {
  /// A new, empty store for the file `file`, and the keys that encrypt its contact details
  /// (nil: the engine's default for the store).
  func makeStore(for file: String) throws(EngineError) -> (store: any SessionStore, dataKeys: DataKeys?)

  /// Called once the file is replayed: removes what ``makeStore(for:)`` made.
  func discard(_ store: any SessionStore)
}

/// The default: an in-memory SQLite database for each file, gone when it is replayed.
public struct InMemoryReplayDatabase: ReplayDatabase {
  public init() {}

  public func makeStore(for file: String) throws(EngineError) -> (store: any SessionStore, dataKeys: DataKeys?) {
    (try SQLiteSessionStore(location: .inMemory), nil)
  }

  public func discard(_ store: any SessionStore) {
    try? store.closeDatabase()
  }
}
