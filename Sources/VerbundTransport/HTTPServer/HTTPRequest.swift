import VerbundHTTP

/// A request as a handler sees it: the parsed head, the decoded target, and what the router matched.
package struct HTTPRequest: Sendable {
    package let head: HTTPRequestHead
    package let target: HTTPRequestTarget
    /// Values of `:name` segments of the matched route pattern (and `*` for a trailing wildcard).
    package let pathParameters: [String: String]
    /// What the acceptor learnt about the peer (nil for plain TCP); a mount's guard may hand its route a request with
    /// what it established instead (the admitted member on the DSP listener, the account on the management listener).
    package let peer: (any Sendable)?
    /// `host:port` of the peer, for logs.
    package let remoteAddress: String
    /// Aborts the connection this request came on from any thread (`Socket.shutdownBoth`): a handler whose response
    /// must stop while the server is blocked writing it to a client that stopped reading (e.g. a data plane whose
    /// transfer was terminated). Nil where the server has no socket to abort.
    package let abortConnection: (@Sendable () -> Void)?

    package init(head: HTTPRequestHead, target: HTTPRequestTarget, pathParameters: [String: String] = [:],
                peer: (any Sendable)? = nil, remoteAddress: String = "", abortConnection: (@Sendable () -> Void)? = nil) {
        self.abortConnection = abortConnection
        self.head = head
        self.target = target
        self.pathParameters = pathParameters
        self.peer = peer
        self.remoteAddress = remoteAddress
    }

    package var method: HTTPMethod { head.method }
    package var headers: HTTPHeaders { head.headers }
    package var path: String { target.path }

    /// The value of path parameter `name`, e.g. `pid` for `/negotiations/:pid/events`.
    package func parameter(_ name: String) -> String? { pathParameters[name] }
}
