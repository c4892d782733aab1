import VerbundHTTP

/// A response read whole.
public struct HTTPClientResponse: Sendable {
    public let head: HTTPResponseHead
    public let body: [UInt8]

    public var status: HTTPStatus { head.status }
    public var headers: HTTPHeaders { head.headers }
}
