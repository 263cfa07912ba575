import Foundation
import PolicyChat
import PolicyChatProtocol
import Testing

/// A dispatcher over the repository's own data, with a fixed clock and seed, driven one
/// request at a time as a front end would.
struct TestServer {
  let server: ProtocolServer

  /// The database file, when it runs over one (as `policychat serve --db FILE` does).
  let database: String?

  init(seed: UInt64, database: String? = nil) throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let engine = try Engine(
      configuration: EngineConfiguration(
        home: root, database: database.map(DatabaseLocation.file) ?? .inMemory,
        clock: ManualClock(Date(timeIntervalSince1970: 1_796_000_000)), random: SeededRandomSource(seed: seed)))
    server = ProtocolServer(engine: engine, serverVersion: "test")
    self.database = database
  }

  /// The whole response to one request.
  func call(_ method: String, _ params: [String: Any]) throws -> [String: Any] {
    let request: [String: Any] = ["jsonrpc": "2.0", "id": 1, "method": method, "params": params]
    let response = try #require(server.handle(line: Array(try JSONSerialization.data(withJSONObject: request))))
    return try #require(try JSONSerialization.jsonObject(with: Data(response.utf8)) as? [String: Any])
  }

  /// The result of a request that must succeed.
  func result(_ method: String, _ params: [String: Any]) throws -> [String: Any] {
    let response = try call(method, params)
    return try #require(response["result"] as? [String: Any], "\(method): \(response)")
  }
}
