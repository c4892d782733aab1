/// Whether an address a peer named lies at the origin (`https`, host, port; RFC 6454 §4) of a member's DSP endpoint
/// as the signed registry lists it. Data addresses and push targets come from the peer, so this is what keeps a peer
/// from aiming this connector's authenticated data requests, or a provider's pushed data, at a third member.
enum RegisteredOrigin {
    static func contains(_ url: String, endpoint: String) -> Bool {
        guard let address = PeerEndpoint(url), let registered = PeerEndpoint(endpoint) else { return false }
        return address.host.lowercased() == registered.host.lowercased() && address.port == registered.port
    }
}
