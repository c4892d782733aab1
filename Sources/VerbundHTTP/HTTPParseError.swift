/// Why an HTTP message was refused, with the status a server answers (RFC 9112, RFC 9110 §15.5).
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The status to answer with: 400, 413, 414, 431, 501 or 505.
    public let status: HTTPStatus
    /// What was wrong, for logs and for the response body.
    public let reason: String

    public init(_ status: HTTPStatus, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "\(status): \(reason)" }

    static func bad(_ reason: String) -> HTTPParseError { HTTPParseError(.badRequest, reason) }
}
