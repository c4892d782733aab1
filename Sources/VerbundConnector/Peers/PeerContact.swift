import Foundation

/// How the last exchange with a member went: whether a TLS connection to it (as that member) was made and answered.
package struct PeerContact: Sendable, Equatable {
    package let at: Date
    /// True when the member answered at all (any status); false when connecting, the handshake or the exchange failed.
    package let reached: Bool
    package let status: Int?
    package let error: String?
}
