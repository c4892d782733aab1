import VerbundFederation

/// Member id ↔ participant id ↔ DSP endpoint, always answered from the registry `FederationTrust` holds *now*, so a
/// registry update is seen by the next lookup (docs/design.md §8: one source of truth; caches are rebuilt from it).
package struct PeerDirectory: Sendable {
    package let trust: FederationTrust
    /// This connector's own member id, left out of `peers`.
    package let selfMemberId: String

    package init(trust: FederationTrust, selfMemberId: String) {
        self.trust = trust
        self.selfMemberId = selfMemberId
    }

    /// Every other member of the current registry, whatever its status.
    package var peers: [Member] { trust.registry.members.filter { $0.id != selfMemberId } }

    package func member(id: String) -> Member? { trust.registry.member(id: id) }

    /// This connector's own member in the registry held (nil while unlisted).
    package var ownMember: Member? { trust.registry.member(id: selfMemberId) }

    package func member(participantId: String) -> Member? { trust.registry.member(participantId: participantId) }

    /// The member whose DSP endpoint is `url` (callback addresses name endpoints, not members).
    package func member(endpoint url: String) -> Member? {
        guard let wanted = PeerEndpoint(url) else { return nil }
        return trust.registry.members.first { PeerEndpoint($0.endpoint) == wanted }
    }

    /// The endpoint of an active member, or why there is none.
    package func endpoint(ofMember id: String) throws(PeerError) -> (member: Member, endpoint: PeerEndpoint) {
        guard let member = member(id: id) else { throw .unknownMember(id) }
        guard member.status == .active else { throw .memberNotActive(id, member.status) }
        guard let endpoint = PeerEndpoint(member.endpoint) else { throw .invalidEndpoint(member: id, member.endpoint) }
        return (member, endpoint)
    }
}
