import PolicyChat

/// `policy.versions`: the version in force and every version with what changed.
enum PolicyVersionsMethod: ProtocolMethod {
  static let name = "policy.versions"

  static func handle(_ params: NoParams, on server: ProtocolServer) -> PolicyVersionsResult {
    let engine = server.engine
    return PolicyVersionsResult(
      current: engine.knowledge.policy.version,
      versions: engine.disclosure.versions.map {
        .init(version: $0.version, date: $0.date, summary: $0.summary, material: $0.material)
      })
  }
}

/// `policy.archive`: one version, with its archived text where there is one.
enum PolicyArchiveMethod: ProtocolMethod {
  static let name = "policy.archive"

  struct Params: MethodParams {
    var version: String

    init(_ params: ParamReader) throws(ProtocolError) {
      version = try params.string("version")
    }
  }

  static func handle(_ params: Params, on server: ProtocolServer) throws(ProtocolError) -> PolicyArchiveResult {
    let archived: ArchivedPolicy = try server.engineCall { try server.engine.archivedPolicy(params.version) }
    let version = archived.version
    return PolicyArchiveResult(
      version: version.version, date: version.date, summary: version.summary, material: version.material,
      current: archived.current, text: archived.text)
  }
}
