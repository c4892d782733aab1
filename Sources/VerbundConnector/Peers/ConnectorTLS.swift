import Foundation
import VerbundFederation
import VerbundTransport
import VerbundTrust

/// The TLS contexts of a connector — the DSP listener's (server) and the peer client's — built from its identity and
/// the federation trust it holds now, and rebuilt as a whole when the CRL changes (`TLSContextSlot`: running
/// connections keep their context, the next handshake uses the new one).
public final class ConnectorTLS: Sendable {
    public let server: TLSContextSlot
    public let client: TLSContextSlot
    private let identity: ConnectorIdentity
    private let trust: FederationTrust

    public init(identity: ConnectorIdentity, trust: FederationTrust, now: Date) throws {
        self.identity = identity
        self.trust = trust
        server = TLSContextSlot(try Self.context(.server, identity: identity, trust: trust, now: now))
        client = TLSContextSlot(try Self.context(.client, identity: identity, trust: trust, now: now))
    }

    /// Builds both contexts from the trust held now and swaps them in.
    public func rebuild(now: Date) throws {
        let newServer = try Self.context(.server, identity: identity, trust: trust, now: now)
        let newClient = try Self.context(.client, identity: identity, trust: trust, now: now)
        try server.replace(with: newServer)
        try client.replace(with: newClient)
    }

    /// TLS 1.3 (1.2 AEAD floor, DESIGN.md) with the federation root as the only trust anchor and the CRL checked in
    /// the handshake. A CRL past nextUpdate would make OpenSSL fail *every* chain ("CRL has expired"); under the
    /// `warn` policy the handshake then runs without it and `PeerAdmission` still applies the stale CRL's revocations
    /// right after, so a late CRL degrades to a warning instead of cutting off the federation.
    static func context(_ role: TLSConfiguration.Role, identity: ConnectorIdentity, trust: FederationTrust,
                        now: Date) throws -> TLSContext {
        let crl = trust.crl
        let stale = trust.crlFreshness(at: now).isStale
        let lists = stale && trust.staleCRLPolicy == .warn ? [] : [crl]
        let configuration = TLSConfiguration(
            role: role, certificateChain: identity.certificateChain, privateKey: identity.privateKey,
            trustRoots: [trust.root], revocationLists: lists, requiresRevocationList: !lists.isEmpty)
        return try TLSContext(configuration: configuration)
    }
}
