/// The path and query of an origin-form request target, percent-decoded and normalised (RFC 3986 §3.3, §3.4).
///
/// Decoding refuses `%00`, malformed escapes, invalid UTF-8, and segments that decode to `/`.
/// Normalisation drops empty and `.` segments and refuses `..` outright rather than resolving it,
/// so a target can never climb above the root of whatever it is mapped onto (path traversal).
package struct HTTPRequestTarget: Sendable, Equatable {
    package struct QueryItem: Sendable, Equatable {
        package let name: String
        package let value: String
    }

    /// Decoded segments, e.g. `["negotiations", "urn:uuid:1", "events"]`.
    package let segments: [String]
    /// Decoded query items in order; `+` means space (HTML form encoding).
    package let query: [QueryItem]

    /// `/` + segments joined by `/`.
    package var path: String { "/" + segments.joined(separator: "/") }

    /// The first value of query item `name`.
    package func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    package init(_ target: String) throws(HTTPParseError) {
        guard target.hasPrefix("/") else { throw .bad("request target '\(target)' is not an absolute path") }
        let rawPath: Substring
        let rawQuery: Substring?
        if let mark = target.firstIndex(of: "?") {
            rawPath = target[..<mark]
            rawQuery = target[target.index(after: mark)...]
        } else {
            rawPath = target[...]
            rawQuery = nil
        }
        var segments: [String] = []
        for raw in rawPath.split(separator: "/", omittingEmptySubsequences: true) {
            let segment = try Self.percentDecode(raw, plusIsSpace: false)
            if segment == "." { continue }
            if segment == ".." { throw .bad("'..' segment in the request path") }
            if segment.contains("/") || segment.contains("\\") {
                throw .bad("encoded path separator in the request path")
            }
            segments.append(segment)
        }
        var items: [QueryItem] = []
        if let rawQuery, !rawQuery.isEmpty {
            for pair in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = try Self.percentDecode(parts[0], plusIsSpace: true)
                let value = parts.count > 1 ? try Self.percentDecode(parts[1], plusIsSpace: true) : ""
                items.append(QueryItem(name: name, value: value))
            }
        }
        self.segments = segments
        self.query = items
    }

    /// Decodes `%XX` escapes; the result must be valid UTF-8 without NUL.
    package static func percentDecode(_ text: Substring, plusIsSpace: Bool) throws(HTTPParseError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(HTTPSyntax.hexValue),
                      let low = iterator.next().flatMap(HTTPSyntax.hexValue) else {
                    throw .bad("malformed percent-encoding in the request target")
                }
                let decoded = UInt8(high * 16 + low)
                guard decoded != 0 else { throw .bad("%00 in the request target") }
                bytes.append(decoded)
            } else if byte == UInt8(ascii: "+") && plusIsSpace {
                bytes.append(HTTPSyntax.space)
            } else {
                bytes.append(byte)
            }
        }
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw .bad("request target does not decode to UTF-8")
        }
        return string
    }
}
