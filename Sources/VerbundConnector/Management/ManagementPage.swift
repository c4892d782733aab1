import VerbundHTTP
import VerbundTransport

/// One page of a list route: `?limit=N&offset=M` (limit 1–1000, offset 0 or more). Without `limit` the route answers
/// as before; the answer to a page carries `X-Total-Count` (docs/management-api.md, "Conventions"). Pure.
package struct ManagementPage: Sendable, Equatable {
    package static let maxLimit = 1000
    package static let totalHeader = "X-Total-Count"

    package let limit: Int
    package let offset: Int

    /// The page a query asks for; nil without `limit`; 400 for values out of range or `offset` alone.
    package static func requested(_ query: [HTTPRequestTarget.QueryItem]) throws(HTTPError) -> ManagementPage? {
        let offsetText = query.first { $0.name == "offset" }?.value
        guard let limitText = query.first(where: { $0.name == "limit" })?.value else {
            if offsetText != nil { throw HTTPError(.badRequest, "offset needs limit (1 to \(maxLimit))") }
            return nil
        }
        guard limitText.utf8.count <= 4, let limit = Int(limitText), (1...maxLimit).contains(limit),
              (offsetText ?? "0").utf8.count <= 9, let offset = Int(offsetText ?? "0"), offset >= 0 else {
            throw HTTPError(.badRequest, "limit must be 1 to \(maxLimit) and offset a whole number of 0 or more (at most 9 digits)")
        }
        return ManagementPage(limit: limit, offset: offset)
    }

    /// `response` with the total count of the list it is a page of.
    package static func counted(_ response: HTTPResponse, total: Int) -> HTTPResponse {
        var response = response
        response.headers.set(totalHeader, String(total))
        return response
    }
}
