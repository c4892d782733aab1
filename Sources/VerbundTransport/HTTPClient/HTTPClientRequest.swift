import VerbundHTTP

/// A request to send with `HTTPClient`.
package struct HTTPClientRequest: Sendable {
    package var method: HTTPMethod
    package var host: String
    package var port: UInt16
    /// Origin-form target: path and query, already percent-encoded.
    package var target: String
    package var headers: HTTPHeaders
    package var body: [UInt8]

    package init(method: HTTPMethod = .get, host: String, port: UInt16, target: String,
                headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.method = method
        self.host = host
        self.port = port
        self.target = target
        self.headers = headers
        self.body = body
    }

    /// Asks for bytes `first...last` (or `first...` to the end), RFC 9110 §14.1.2; with `ifRange`, only
    /// if the representation still has that strong ETag (§13.1.5), otherwise the server sends it whole.
    package mutating func setRange(from first: Int, through last: Int? = nil, ifRange etag: String? = nil) {
        headers.set("Range", "bytes=\(first)-\(last.map(String.init) ?? "")")
        if let etag { headers.set("If-Range", etag) } else { headers.remove("If-Range") }
    }

    /// `host:port` as the pool and the Host field see it (RFC 9110 §7.2).
    var authority: String {
        let name = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(name):\(port)"
    }

    /// The head and body bytes on the wire; throws when a field or the target cannot be sent (`HTTPFieldError`).
    func serialized() throws(HTTPFieldError) -> [UInt8] {
        var fields = headers
        if !fields.contains("Host") { fields.set("Host", authority) }
        fields.remove("Transfer-Encoding")
        if !body.isEmpty || method == .post || method == .put || method == .patch {
            fields.set("Content-Length", String(body.count))
        } else {
            fields.remove("Content-Length")
        }
        let head = HTTPRequestHead(method: method, target: target, headers: fields)
        return try head.serialized() + body
    }
}
