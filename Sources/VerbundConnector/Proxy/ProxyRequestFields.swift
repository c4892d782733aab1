import VerbundHTTP

/// The request fields of a local application that travel on to a provider's API data plane: what the representation
/// should be (`Accept`, `Accept-Language`) and the conditional and range fields of RFC 9110 §13 and §14
/// (`If-None-Match`, `If-Modified-Since`, `Range`), so a dashboard can poll cheaply and a large answer can be read in
/// parts. Nothing else: the application's `Authorization` (the management token or account) stays here, and
/// `Cookie`, `Host`, forwarding and hop-by-hop fields would speak for this connector to the provider.
enum ProxyRequestFields {
    static let forwardedNames = ["Accept", "Accept-Language", "If-None-Match", "If-Modified-Since", "Range"]
    static let maxValueBytes = 512

    /// Each forwarded field at most once (a repeated one is dropped), with at most `maxValueBytes` visible ASCII
    /// characters and spaces.
    static func forwarded(_ fields: HTTPHeaders) -> HTTPHeaders {
        var kept = HTTPHeaders()
        for name in forwardedNames {
            let values = fields.values(name)
            guard values.count == 1, let value = values.first, !value.isEmpty, value.utf8.count <= maxValueBytes,
                  value.utf8.allSatisfy({ $0 == 0x20 || ($0 > 0x20 && $0 < 0x7F) }) else { continue }
            kept.add(name, value)
        }
        return kept
    }
}
