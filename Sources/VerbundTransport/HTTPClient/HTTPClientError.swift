import VerbundHTTP

/// Why an HTTP exchange failed, naming the peer.
package enum HTTPClientError: Error, CustomStringConvertible, Sendable {
    /// No connection could be made (refused, unresolvable, timed out, TLS refused).
    case connectFailed(peer: String, underlying: TransportError)
    /// The connection failed or timed out during the exchange.
    case transport(peer: String, underlying: TransportError)
    /// The peer's response broke HTTP/1.1 or exceeded a limit (e.g. the body cap).
    case invalidResponse(peer: String, underlying: HTTPParseError)
    /// Our own request could not be sent: a header field or the target holds a control character. Nothing was sent.
    case invalidRequest(peer: String, underlying: HTTPFieldError)

    package var description: String {
        switch self {
        case let .connectFailed(peer, error):
            return "cannot connect to \(peer): \(error); check that the peer is running and reachable"
        case let .transport(peer, error):
            return "exchange with \(peer) failed: \(error)"
        case let .invalidResponse(peer, error):
            return "invalid response from \(peer): \(error.reason)"
        case let .invalidRequest(peer, error):
            return "request to \(peer) not sent: \(error)"
        }
    }

    /// True when the failure was a timeout.
    package var isTimeout: Bool {
        switch self {
        case let .connectFailed(_, error), let .transport(_, error):
            if case .timedOut = error { return true }
            return false
        case .invalidResponse, .invalidRequest:
            return false
        }
    }
}
