/// A peer that completed the TLS handshake but is not admitted, with the reason.
///
/// Thrown by a `PeerIdentityCheck`; the stream is closed and the caller gets
/// `TransportError.peerRefused(reason)`.
package struct PeerRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    package let reason: String

    package init(_ reason: String) {
        self.reason = reason
    }

    package var description: String { reason }
}
