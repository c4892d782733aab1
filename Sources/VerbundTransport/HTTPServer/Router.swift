import VerbundHTTP

/// Handles one request. The body is read whole or streamed from `body`; thrown `HTTPError`s become
/// their status, an `HTTPParseError` from the body its status (413 for an oversized body), anything else 500.
package typealias HTTPHandler = @Sendable (HTTPRequest, RequestBody) throws -> HTTPResponse

/// Maps method + path pattern to handlers; unmatched paths get 404, matched paths with another method 405.
package struct Router: Sendable {
    package struct Route: Sendable {
        package let method: HTTPMethod
        package let pattern: RoutePattern
        /// Body bound for this route; nil means the server's default.
        package let bodyLimit: Int?
        package let handler: HTTPHandler
    }

    package enum Resolution: Sendable {
        case matched(Route, parameters: [String: String])
        case notFound
        case methodNotAllowed(allowed: [HTTPMethod])
    }

    package private(set) var routes: [Route] = []

    package init() {}

    /// Adds a route; earlier routes win when several match.
    package mutating func add(_ method: HTTPMethod, _ pattern: String, bodyLimit: Int? = nil, _ handler: @escaping HTTPHandler) {
        routes.append(Route(method: method, pattern: RoutePattern(pattern), bodyLimit: bodyLimit, handler: handler))
    }

    package mutating func get(_ pattern: String, _ handler: @escaping HTTPHandler) { add(.get, pattern, handler) }
    package mutating func post(_ pattern: String, bodyLimit: Int? = nil, _ handler: @escaping HTTPHandler) {
        add(.post, pattern, bodyLimit: bodyLimit, handler)
    }
    package mutating func put(_ pattern: String, bodyLimit: Int? = nil, _ handler: @escaping HTTPHandler) {
        add(.put, pattern, bodyLimit: bodyLimit, handler)
    }
    package mutating func delete(_ pattern: String, _ handler: @escaping HTTPHandler) { add(.delete, pattern, handler) }

    /// HEAD falls back to the GET route (RFC 9110 §9.3.2); the server then omits the content.
    package func resolve(method: HTTPMethod, path: [String]) -> Resolution {
        var allowed: [HTTPMethod] = []
        var fallback: (Route, [String: String])?
        for route in routes {
            guard let parameters = route.pattern.match(path) else { continue }
            if route.method == method { return .matched(route, parameters: parameters) }
            if method == .head, route.method == .get, fallback == nil { fallback = (route, parameters) }
            if !allowed.contains(route.method) { allowed.append(route.method) }
        }
        if let fallback { return .matched(fallback.0, parameters: fallback.1) }
        if allowed.contains(.get), !allowed.contains(.head) { allowed.append(.head) }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }
}
