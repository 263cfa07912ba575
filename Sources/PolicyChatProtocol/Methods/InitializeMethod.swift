import PolicyChat

/// `initialize`: who serves, which protocol, which policy, and every method.
enum InitializeMethod: ProtocolMethod {
  static let name = "initialize"

  static func handle(_ params: NoParams, on server: ProtocolServer) -> InitializeResult {
    let policy = server.engine.knowledge.policy
    return InitializeResult(
      serverName: ProtocolServer.serverName, serverVersion: server.serverVersion,
      protocolVersion: ProtocolServer.protocolVersion,
      policy: .init(organisation: policy.organisation, version: policy.version, lastUpdated: policy.lastUpdated),
      methods: MethodRegistry.names, hostOnlyMethods: MethodRegistry.hostOnlyNames)
  }
}
