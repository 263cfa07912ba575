/// What a front end knows about the person when it opens a session.
public struct SessionOptions: Codable, Sendable, Equatable {
  /// ISO 3166-1 alpha-2 country code, when the host knows it.
  public var country: String?
  /// BCP 47 language tag.
  public var locale: String?
  /// A host-supplied device identifier.
  public var deviceId: String?
  public var signals: BrowserSignals?

  public init(
    country: String? = nil, locale: String? = nil, deviceId: String? = nil,
    signals: BrowserSignals? = nil
  ) {
    self.country = country
    self.locale = locale
    self.deviceId = deviceId
    self.signals = signals
  }
}

/// Privacy signals the browser sent (Do Not Track, Global Privacy Control).
public struct BrowserSignals: Codable, Sendable, Equatable {
  public var dnt: Bool?
  public var gpc: Bool?
  public init(dnt: Bool? = nil, gpc: Bool? = nil) {
    self.dnt = dnt
    self.gpc = gpc
  }
}
