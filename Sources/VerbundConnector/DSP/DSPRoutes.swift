import VerbundHTTP
import VerbundTransport

/// A DSP route's handler: it receives the request together with the member admitted for it, as a typed value.
package typealias DSPHandler = @Sendable (DSPRequest, RequestBody) throws -> HTTPResponse

/// The DSP routes of a module, with paths relative to the DSP endpoint's path (`/negotiations/:pid`).
///
/// Unlike a plain `Router`, a handler here never sees a request without its admitted peer: `DSPMount` admits the
/// peer against the registry and CRL held now and only then builds the `DSPRequest` it hands to the handler. So no
/// handler casts an untyped peer, and none can run for a client that was not admitted.
package struct DSPRoutes: Sendable {
    package struct Route: Sendable {
        package let method: HTTPMethod
        package let pattern: String
        package let bodyLimit: Int?
        package let handler: DSPHandler
    }

    package private(set) var routes: [Route] = []

    package init() {}

    package mutating func add(_ method: HTTPMethod, _ pattern: String, bodyLimit: Int? = nil, _ handler: @escaping DSPHandler) {
        routes.append(Route(method: method, pattern: pattern, bodyLimit: bodyLimit, handler: handler))
    }

    package mutating func get(_ pattern: String, _ handler: @escaping DSPHandler) { add(.get, pattern, handler) }
    package mutating func post(_ pattern: String, bodyLimit: Int? = nil, _ handler: @escaping DSPHandler) {
        add(.post, pattern, bodyLimit: bodyLimit, handler)
    }
    package mutating func put(_ pattern: String, bodyLimit: Int? = nil, _ handler: @escaping DSPHandler) {
        add(.put, pattern, bodyLimit: bodyLimit, handler)
    }
    package mutating func delete(_ pattern: String, _ handler: @escaping DSPHandler) { add(.delete, pattern, handler) }
}
