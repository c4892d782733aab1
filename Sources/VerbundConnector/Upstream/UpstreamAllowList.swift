/// What a consumer may have forwarded to an API dataset's upstream, declared at publish: methods, path prefixes
/// below the upstream base and query parameter names. A pure value: `decide` looks only at the request line.
///
/// Fail closed: an empty prefix list allows no path (publish with `/` to allow everything below the base), an
/// empty parameter list allows no query. Paths are compared segment by segment after percent-decoding
/// (RFC 3986 §2.1): `/v1.1/Things` allows `/v1.1/Things` and `/v1.1/Things/…`, not `/v1.1/ThingsSecret`;
/// dot segments (RFC 3986 §3.3), encoded slashes, backslashes and control characters are refused rather than
/// normalised, so the upstream never sees a path other than the one that was checked.
package struct UpstreamAllowList: Sendable, Hashable, Codable {
    package var methods: [String]
    package var pathPrefixes: [String]
    package var queryParameters: [String]

    package init(methods: [String] = ["GET", "HEAD"], pathPrefixes: [String], queryParameters: [String] = []) {
        self.methods = methods
        self.pathPrefixes = pathPrefixes
        self.queryParameters = queryParameters
    }

    package enum Decision: Sendable, Hashable {
        /// Forward to the upstream base + `path` (raw, as received) + `?query` when present.
        case forward(path: String, query: String?)
        /// Refuse with this HTTP status (403 or 405) and a reason a person can read.
        case refuse(status: Int, reason: String)
    }

    /// `subPath` is the raw request path after `/data/<pid>` (empty or starting with `/`), `query` the raw query.
    package func decide(method: String, subPath: String, query: String?) -> Decision {
        guard methods.contains(method) else {
            return .refuse(status: 405, reason: "Method \(method) is not allowed for this API; allowed: "
                + methods.joined(separator: ", "))
        }
        let segments: [String]
        switch Self.segments(of: subPath) {
        case .success(let decoded): segments = decoded
        case .failure(let problem): return .refuse(status: 403, reason: problem.reason)
        }
        let allowed = pathPrefixes.contains { prefix in
            guard case .success(let wanted) = Self.segments(of: prefix) else { return false }
            return segments.count >= wanted.count && Array(segments.prefix(wanted.count)) == wanted
        }
        guard allowed else {
            let shown = pathPrefixes.isEmpty ? "none" : pathPrefixes.joined(separator: ", ")
            return .refuse(status: 403, reason: "Path \(Self.shown(subPath)) is not allowed for this API; "
                + "allowed path prefixes: \(shown)")
        }
        guard let query, !query.isEmpty else { return .forward(path: subPath, query: nil) }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let rawName = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]
            guard let name = Self.percentDecoded(String(rawName)), queryParameters.contains(name) else {
                let shown = queryParameters.isEmpty ? "none" : queryParameters.joined(separator: ", ")
                return .refuse(status: 403, reason: "Query parameter \(Self.shown(String(rawName))) is not allowed "
                    + "for this API; allowed parameters: \(shown)")
            }
        }
        return .forward(path: subPath, query: query)
    }

    struct PathProblem: Error, Sendable {
        let reason: String
    }

    /// The decoded, non-empty segments of a raw path, or why it is refused.
    static func segments(of raw: String) -> Result<[String], PathProblem> {
        guard raw.isEmpty || raw.hasPrefix("/") else {
            return .failure(PathProblem(reason: "The path must start with /"))
        }
        var decoded: [String] = []
        for piece in raw.split(separator: "/", omittingEmptySubsequences: true) {
            guard let segment = percentDecoded(String(piece)) else {
                return .failure(PathProblem(reason: "The path \(shown(raw)) has an invalid percent-encoding"))
            }
            if segment == "." || segment == ".." {
                return .failure(PathProblem(reason: "The path \(shown(raw)) has a dot segment (RFC 3986 §3.3)"))
            }
            if segment.contains("/") || segment.contains("\\")
                || segment.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                return .failure(PathProblem(
                    reason: "The path \(shown(raw)) has an encoded slash, a backslash or a control character"))
            }
            decoded.append(segment)
        }
        return .success(decoded)
    }

    /// RFC 3986 §2.1 percent-decoding to UTF-8; nil for a malformed escape or bytes that are not UTF-8.
    static func percentDecoded(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// A hostile value as it may appear in a reason: at most 200 characters, control characters escaped.
    static func shown(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(200) {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return "\"" + out + (text.unicodeScalars.count > 200 ? "…" : "") + "\""
    }
}
