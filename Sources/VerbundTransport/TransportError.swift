/// Why a transport operation failed. Each case says what happened in words an operator can act on.
package enum TransportError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A system call failed; `errno` and its text are kept.
    case system(call: String, errno: Int32, message: String)
    /// The host name could not be resolved.
    case resolution(host: String, message: String)
    /// Nothing arrived (or nothing could be sent) within the allowed time.
    case timedOut(String)
    /// The peer closed the connection where more data was expected.
    case closedByPeer
    /// TLS failed: handshake, certificate verification or record layer, with OpenSSL's reason.
    case tls(String)
    /// The peer completed TLS but is not admitted (identity check of the caller refused it).
    case peerRefused(String)

    package var description: String {
        switch self {
        case let .system(call, errno, message): return "\(call) failed: \(message) (errno \(errno))"
        case let .resolution(host, message): return "cannot resolve host '\(host)': \(message)"
        case let .timedOut(what): return "timed out: \(what)"
        case .closedByPeer: return "the peer closed the connection"
        case let .tls(reason): return "TLS failed: \(reason)"
        case let .peerRefused(reason): return "peer refused: \(reason)"
        }
    }
}
