import VerbundHTTP

/// The consumer request headers that reach an API dataset's upstream: content negotiation (`Accept`,
/// `Accept-Language`, RFC 9110 §12.5.1 and §12.5.4), conditional requests (`If-None-Match`, `If-Modified-Since`,
/// RFC 9110 §13.1.2 and §13.1.3) and one byte range (`Range`, RFC 9110 §14.2). Nothing else of the consumer's request
/// is sent on — not its `Authorization` (the transfer token), `Cookie`, `Host`, `Forwarded`/`X-Forwarded-*` or any
/// other field — so a consumer can neither reach the upstream as someone else nor learn what the provider sends.
/// A pure value: `forwarded` looks only at the fields.
package enum UpstreamRequestHeaders {
    /// Each forwarded field with its longest accepted value.
    package static let forwardedNames: [(name: String, maxLength: Int)] = [
        ("Accept", 512), ("Accept-Language", 256), ("If-None-Match", 512), ("If-Modified-Since", 64), ("Range", 128),
    ]

    /// The fields to send, each at most once (a repeated field is dropped: the upstream might read either), with values
    /// of visible ASCII and spaces only (no control characters, so nothing can be added to the request) within their
    /// length; `Range` only as `bytes=` with digits, `-`, `,` and spaces.
    package static func forwarded(_ consumer: HTTPHeaders) -> HTTPHeaders {
        var kept = HTTPHeaders()
        for (name, maxLength) in forwardedNames {
            let values = consumer.values(name)
            guard values.count == 1, let value = values.first, !value.isEmpty, value.utf8.count <= maxLength,
                  value.utf8.allSatisfy({ $0 == 0x20 || ($0 > 0x20 && $0 < 0x7F) }) else { continue }
            if name == "Range", !isByteRange(value) { continue }
            kept.add(name, value)
        }
        return kept
    }

    /// `bytes=` followed by range specs made of digits, `-`, `,` and spaces (RFC 9110 §14.1.2); other units are not
    /// forwarded.
    static func isByteRange(_ value: String) -> Bool {
        guard value.hasPrefix("bytes="), value.utf8.count > 6 else { return false }
        return value.utf8.dropFirst(6).allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2C || $0 == 0x20 }
            && value.utf8.dropFirst(6).contains { $0 >= 0x30 && $0 <= 0x39 }
    }
}
