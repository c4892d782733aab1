import VerbundHTTP

/// Which page of the catalog a request asks for. Verbund pages by cursor (keyset), so a page costs the same at any
/// depth and a dataset published while a consumer pages is never seen twice:
/// `?limit=N` (1–500, default 50), plus `after=S` (the page after cursor S) or `before=S` (the page before it).
/// The cursors are opaque to consumers: they follow the `Link` headers (RFC 8288) rel `next` and `previous`.
package struct CatalogPageRequest: Sendable, Hashable {
    package static let defaultLimit = 50
    package static let maxLimit = 500

    package var limit: Int
    package var after: Int64?
    package var before: Int64?

    package init(limit: Int = CatalogPageRequest.defaultLimit, after: Int64? = nil, before: Int64? = nil) {
        self.limit = limit
        self.after = after
        self.before = before
    }

    /// Reads the query; malformed values are refused with a reason (answered as 400 + `CatalogError`).
    package init(query: HTTPRequestTarget) throws(CatalogPageError) {
        if let text = query.queryValue("limit") {
            guard let value = Int(text), (1...Self.maxLimit).contains(value) else {
                throw CatalogPageError("limit must be a whole number from 1 to \(Self.maxLimit), not '\(text)'")
            }
            limit = value
        } else {
            limit = Self.defaultLimit
        }
        after = try Self.cursor("after", query)
        before = try Self.cursor("before", query)
        if after != nil && before != nil { throw CatalogPageError("give either after or before, not both") }
    }

    private static func cursor(_ name: String, _ query: HTTPRequestTarget) throws(CatalogPageError) -> Int64? {
        guard let text = query.queryValue(name) else { return nil }
        guard let value = Int64(text), value >= 0 else {
            throw CatalogPageError("\(name) must be a cursor from a Link header, not '\(text)'")
        }
        return value
    }

    /// The query string of this page request, e.g. `after=50&limit=50`.
    var queryString: String {
        var parts: [String] = []
        if let after { parts.append("after=\(after)") }
        if let before { parts.append("before=\(before)") }
        parts.append("limit=\(limit)")
        return parts.joined(separator: "&")
    }
}

/// A malformed page request.
package struct CatalogPageError: Error, Sendable, Equatable, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}
