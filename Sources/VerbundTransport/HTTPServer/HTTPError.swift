import VerbundHTTP

/// Thrown by a handler to answer with a specific status and a short plain-text message.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public let status: HTTPStatus
    public let message: String
    public let headers: HTTPHeaders

    public init(_ status: HTTPStatus, _ message: String = "", headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.message = message.isEmpty ? status.reasonPhrase : message
        self.headers = headers
    }

    public var description: String { "\(status): \(message)" }
}
