import VerbundHTTP

/// Thrown by a handler to answer with a specific status and a short plain-text message.
package struct HTTPError: Error, Sendable, CustomStringConvertible {
    package let status: HTTPStatus
    package let message: String
    package let headers: HTTPHeaders

    package init(_ status: HTTPStatus, _ message: String = "", headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.message = message.isEmpty ? status.reasonPhrase : message
        self.headers = headers
    }

    package var description: String { "\(status): \(message)" }
}
