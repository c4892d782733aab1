/// A response status line and fields (RFC 9112 §4).
package struct HTTPResponseHead: Sendable, Equatable {
    package var status: HTTPStatus
    package var version: String
    package var headers: HTTPHeaders

    package init(status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), version: String = HTTPVersion.http11) {
        self.status = status
        self.headers = headers
        self.version = version
    }

    /// False when the server announced `Connection: close`.
    package var keepAlive: Bool { HTTPMessageFraming.keepAlive(headers) }

    /// The status line and fields followed by the empty line. Framing fields are the caller's choice.
    /// Throws, sending nothing, when a field name is not a token or a value holds a control character (CR, LF, …).
    package func serialized() throws(HTTPFieldError) -> [UInt8] {
        try HTTPFieldCheck.fields(headers)
        var text = "\(version) \(status.code) \(status.reasonPhrase)\r\n"
        for field in headers.fields { text += "\(field.name): \(field.value)\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }
}
