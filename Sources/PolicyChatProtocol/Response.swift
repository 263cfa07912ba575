/// A JSON-RPC 2.0 response: a result or an error, for the request with `id` (null when the
/// request's id could not be read).
struct Response<Result: Encodable>: Encodable {
  var id: RequestID?
  var result: Result?
  var error: ErrorObject?

  struct ErrorObject: Encodable {
    var code: Int
    var message: String
    var data: ErrorData
  }

  struct ErrorData: Encodable {
    var reason: String
    var field: String?
  }

  enum CodingKeys: String, CodingKey {
    case jsonrpc, id, result, error
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode("2.0", forKey: .jsonrpc)
    // JSON-RPC wants "id": null, not a missing id, when the request's id is unknown.
    if let id { try container.encode(id, forKey: .id) } else { try container.encodeNil(forKey: .id) }
    if let error {
      try container.encode(error, forKey: .error)
    } else {
      try container.encode(result, forKey: .result)
    }
  }
}

extension Response where Result == JSONValue {
  static func failure(_ error: ProtocolError, id: RequestID?) -> Response {
    Response(
      id: id, result: nil,
      error: ErrorObject(
        code: error.code, message: error.message, data: ErrorData(reason: error.reason, field: error.field)))
  }
}
