import VerbundHTTP

/// A request as a handler sees it: the parsed head, the decoded target, and what the router matched.
public struct HTTPRequest: Sendable {
    public let head: HTTPRequestHead
    public let target: HTTPRequestTarget
    /// Values of `:name` segments of the matched route pattern (and `*` for a trailing wildcard).
    public let pathParameters: [String: String]
    /// What the acceptor learnt about the peer (nil for plain TCP).
    public let peer: (any Sendable)?
    /// `host:port` of the peer, for logs.
    public let remoteAddress: String
    /// Aborts the connection this request came on from any thread (`Socket.shutdownBoth`): a handler whose response
    /// must stop while the server is blocked writing it to a client that stopped reading (e.g. a data plane whose
    /// transfer was terminated). Nil where the server has no socket to abort.
    public let abortConnection: (@Sendable () -> Void)?

    public init(head: HTTPRequestHead, target: HTTPRequestTarget, pathParameters: [String: String] = [:],
                peer: (any Sendable)? = nil, remoteAddress: String = "", abortConnection: (@Sendable () -> Void)? = nil) {
        self.abortConnection = abortConnection
        self.head = head
        self.target = target
        self.pathParameters = pathParameters
        self.peer = peer
        self.remoteAddress = remoteAddress
    }

    public var method: HTTPMethod { head.method }
    public var headers: HTTPHeaders { head.headers }
    public var path: String { target.path }

    /// The value of path parameter `name`, e.g. `pid` for `/negotiations/:pid/events`.
    public func parameter(_ name: String) -> String? { pathParameters[name] }
}
