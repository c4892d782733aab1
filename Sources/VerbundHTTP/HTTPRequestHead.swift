/// A parsed and validated request head (RFC 9112 §3, §5, §6).
package struct HTTPRequestHead: Sendable, Equatable {
    package var method: HTTPMethod
    /// The request target as sent, in origin form (`/path?query`) or `*`; absolute-form targets are
    /// reduced to their path and query (RFC 9112 §3.2.2).
    package var target: String
    package var version: String
    package var headers: HTTPHeaders
    /// How the content is delimited.
    package var framing: HTTPBodyFraming
    /// False when the client sent `Connection: close` (HTTP/1.1 defaults to persistent, RFC 9112 §9.3).
    package var keepAlive: Bool

    package init(method: HTTPMethod, target: String, version: String = HTTPVersion.http11,
                headers: HTTPHeaders, framing: HTTPBodyFraming = .none, keepAlive: Bool = true) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.framing = framing
        self.keepAlive = keepAlive
    }

    /// The client waits for `100 Continue` before sending content (RFC 9110 §10.1.1).
    package var expectsContinue: Bool {
        headers.tokens("expect").contains("100-continue") && framing != .none
    }

    /// The request line and fields, as a client sends them.
    /// Throws when the target holds whitespace or a control character, a field name is not a token, or a field value
    /// holds a control character (CR, LF, …).
    package func serialized() throws(HTTPFieldError) -> [UInt8] {
        try HTTPFieldCheck.target(target)
        try HTTPFieldCheck.fields(headers)
        var text = "\(method.rawValue) \(target) \(version)\r\n"
        for field in headers.fields { text += "\(field.name): \(field.value)\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }
}
