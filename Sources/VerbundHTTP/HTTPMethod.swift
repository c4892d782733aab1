/// A request method: a token (RFC 9110 §9.1), case-sensitive.
package struct HTTPMethod: Sendable, Hashable, CustomStringConvertible {
    package let rawValue: String

    package init(_ rawValue: String) { self.rawValue = rawValue }

    package var description: String { rawValue }

    /// GET, HEAD, PUT, DELETE and OPTIONS may be retried on a fresh connection (RFC 9110 §9.2.2).
    package var isIdempotent: Bool {
        switch rawValue {
        case "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE": return true
        default: return false
        }
    }

    package static let get = HTTPMethod("GET")
    package static let head = HTTPMethod("HEAD")
    package static let post = HTTPMethod("POST")
    package static let put = HTTPMethod("PUT")
    package static let delete = HTTPMethod("DELETE")
    package static let patch = HTTPMethod("PATCH")
    package static let options = HTTPMethod("OPTIONS")
}
