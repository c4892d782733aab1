/// Single-part byte ranges (RFC 9110 §14): parsing `Range`, honouring `If-Range`, formatting `Content-Range`.
package enum HTTPByteRange {
    /// What to send for a representation of a known length.
    package enum Resolution: Sendable, Equatable {
        /// 200 with the whole representation: no Range, an ignored Range, or several ranges.
        case full
        /// 206 with these bytes (inclusive bounds, already clamped to the length).
        case partial(ClosedRange<Int>)
        /// 416 with `Content-Range: bytes */length`.
        case unsatisfiable
    }

    /// Resolves a request's `Range` for a representation of `length` bytes whose current strong ETag is `etag`.
    ///
    /// RFC 9110 §13.1.5: an `If-Range` that does not strongly match the current ETag (or is a date, which
    /// we do not track) turns the request into a plain GET. §14.2: a Range that cannot be parsed, or uses
    /// another unit, is ignored. Several ranges are answered with the full representation, which §14.2 permits.
    package static func resolve(range: String?, ifRange: String?, etag: String?, length: Int) -> Resolution {
        guard let range else { return .full }
        if let ifRange {
            guard let etag, strongMatch(ifRange, etag) else { return .full }
        }
        let trimmed = HTTPSyntax.trimmingWhitespace(range[...])
        guard let equals = trimmed.firstIndex(of: "="),
              HTTPSyntax.equalsIgnoringCase(String(trimmed[..<equals]), "bytes") else { return .full }
        let specs = trimmed[trimmed.index(after: equals)...].split(separator: ",", omittingEmptySubsequences: false)
        guard specs.count == 1 else { return .full }
        let spec = HTTPSyntax.trimmingWhitespace(specs[0])
        guard let dash = spec.firstIndex(of: "-") else { return .full }
        let firstText = spec[..<dash]
        let lastText = spec[spec.index(after: dash)...]
        if firstText.isEmpty {
            // suffix-range: the last n bytes (§14.1.2).
            guard let suffix = digits(lastText) else { return .full }
            guard suffix > 0, length > 0 else { return .unsatisfiable }
            return .partial(max(0, length - suffix)...(length - 1))
        }
        guard let first = digits(firstText) else { return .full }
        var last = length - 1
        if !lastText.isEmpty {
            guard let parsed = digits(lastText) else { return .full }
            // §14.1.1: last < first makes the range-spec invalid, so the header is ignored.
            guard parsed >= first else { return .full }
            last = min(parsed, length - 1)
        }
        guard first < length else { return .unsatisfiable }
        return .partial(first...last)
    }

    /// `Content-Range` of a 206 (§14.4).
    package static func contentRange(_ range: ClosedRange<Int>, length: Int) -> String {
        "bytes \(range.lowerBound)-\(range.upperBound)/\(length)"
    }

    /// `Content-Range` of a 416 (§15.5.17).
    package static func unsatisfiedContentRange(length: Int) -> String {
        "bytes */\(length)"
    }

    /// Strong comparison (§8.8.3.2): both tags strong and byte-identical.
    package static func strongMatch(_ a: String, _ b: String) -> Bool {
        let x = HTTPSyntax.trimmingWhitespace(a[...])
        let y = HTTPSyntax.trimmingWhitespace(b[...])
        return !x.hasPrefix("W/") && !y.hasPrefix("W/") && x.hasPrefix("\"") && x == y
    }

    /// 1*DIGIT without overflow; nil for anything else.
    private static func digits(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text)
    }
}
