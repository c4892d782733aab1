import VerbundHTTP
import VerbundTransport

/// A DSP route's handler: it receives the request together with the member admitted for it, as a typed value.
public typealias DSPHandler = @Sendable (DSPRequest, RequestBody) throws -> HTTPResponse

/// The DSP routes of a module, with paths relative to the DSP endpoint's path (`/negotiations/:pid`).
///
/// Unlike a plain `Router`, a handler here never sees a request without its admitted peer: `DSPMount` admits the
/// peer against the registry and CRL held now and only then builds the `DSPRequest` it hands to the handler. So no
/// handler casts an untyped peer, and none can run for a client that was not admitted.
public struct DSPRoutes: Sendable {
    public struct Route: Sendable {
        public let method: HTTPMethod
        public let pattern: String
        public let bodyLimit: Int?
        public let handler: DSPHandler
    }

    public private(set) var routes: [Route] = []

    public init() {}

    public mutating func add(_ method: HTTPMethod, _ pattern: String, bodyLimit: Int? = nil, _ handler: @escaping DSPHandler) {
        routes.append(Route(method: method, pattern: pattern, bodyLimit: bodyLimit, handler: handler))
    }

    public mutating func get(_ pattern: String, _ handler: @escaping DSPHandler) { add(.get, pattern, handler) }
    public mutating func post(_ pattern: String, bodyLimit: Int? = nil, _ handler: @escaping DSPHandler) {
        add(.post, pattern, bodyLimit: bodyLimit, handler)
    }
    public mutating func put(_ pattern: String, bodyLimit: Int? = nil, _ handler: @escaping DSPHandler) {
        add(.put, pattern, bodyLimit: bodyLimit, handler)
    }
    public mutating func delete(_ pattern: String, _ handler: @escaping DSPHandler) { add(.delete, pattern, handler) }
}
