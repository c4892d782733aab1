import VerbundHTTP

/// The upstream response headers a consumer may see (docs of issue 11, "Response headers to the consumer"): the
/// representation's type, length and validators, its caching rule, and the range fields of a 206 answer
/// (`Accept-Ranges`, `Content-Range`, RFC 9110 §14.3 and §14.4). Everything else stays at the provider —
/// `Set-Cookie`, `WWW-Authenticate`, `Server`, authentication and hop-by-hop fields (RFC 9110 §7.6.1) — so
/// nothing the upstream says about its credentials or software reaches the consumer.
package enum UpstreamResponseHeaders {
    package static let forwardedNames = ["content-type", "content-length", "etag", "last-modified", "cache-control",
                                         "accept-ranges", "content-range"]

    /// The fields to send on, each at most once (a repeated field is dropped: its meaning would be ambiguous), with
    /// values of at most 1024 visible ASCII characters and spaces; `Content-Length` only as digits.
    package static func forwarded(_ upstream: HTTPHeaders) -> HTTPHeaders {
        var kept = HTTPHeaders()
        for name in forwardedNames {
            let values = upstream.values(name)
            guard values.count == 1, let value = values.first, isSafe(value) else { continue }
            if name == "content-length", value.isEmpty || !value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                continue
            }
            kept.add(canonical(name), value)
        }
        return kept
    }

    static func isSafe(_ value: String) -> Bool {
        value.utf8.count <= 1024 && value.utf8.allSatisfy { $0 == 0x20 || ($0 > 0x20 && $0 < 0x7F) }
    }

    static func canonical(_ name: String) -> String {
        switch name {
        case "etag": return "ETag"
        default: return name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined(separator: "-")
        }
    }
}
