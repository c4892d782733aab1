/// A peer that completed the TLS handshake but is not admitted, with the reason.
///
/// Thrown by a `PeerIdentityCheck`; the stream is closed and the caller gets
/// `TransportError.peerRefused(reason)`.
public struct PeerRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
