import Foundation
import PolicyChat
import PolicyChatPostgres
import PolicyChatReplay

/// `replay --db postgres://…`: every replayed file gets a new schema of that database, with
/// a new data key, and the schema is dropped once the file is replayed. The transcripts
/// then prove the PostgreSQL store gives the same answers as SQLite's.
struct PostgresReplayDatabase: ReplayDatabase {
  let address: PostgresAddress
  let environment: [String: String]

  func makeStore(for file: String) throws(EngineError) -> (store: any SessionStore, dataKeys: DataKeys?) {
    var scratch = address
    scratch.schema =
      "policychat_replay_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
    // Two connections: a transcript is one conversation at a time, and files replay in parallel.
    let store = try PostgresSessionStore(address: scratch, poolSize: 2, environment: environment)
    // A key of the run's own: the schema and its sealed values go when the file is done.
    return (store, DataKeys.ephemeral())
  }

  func discard(_ store: any SessionStore) {
    guard let postgres = store as? PostgresSessionStore else { return }
    do {
      try postgres.dropSchema()
    } catch {
      StandardError.write(
        "policychat: warning: the replay schema \(postgres.address.schema ?? "") was not dropped: \(error.description)")
      try? postgres.closeDatabase()
    }
  }
}
