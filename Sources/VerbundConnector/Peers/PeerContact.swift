import Foundation

/// How the last exchange with a member went: whether a TLS connection to it (as that member) was made and answered.
public struct PeerContact: Sendable, Equatable {
    public let at: Date
    /// True when the member answered at all (any status); false when connecting, the handshake or the exchange failed.
    public let reached: Bool
    public let status: Int?
    public let error: String?
}
