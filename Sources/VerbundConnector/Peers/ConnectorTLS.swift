import Foundation
import VerbundFederation
import VerbundTransport
import VerbundTrust

/// The TLS contexts of a connector — the DSP listener's (server) and the peer client's — built from its identity and
/// the federation trust it holds now, and rebuilt as a whole when the CRL changes (`TLSContextSlot`: running
/// connections keep their context, the next handshake uses the new one).
package final class ConnectorTLS: Sendable {
    package let server: TLSContextSlot
    package let client: TLSContextSlot
    /// Whether the DSP listener lets a client without a certificate finish the handshake (`openVersionEndpoint`).
    package let clientCertificate: TLSConfiguration.ClientCertificate
    private let identity: ConnectorIdentity
    private let trust: FederationTrust

    package init(identity: ConnectorIdentity, trust: FederationTrust, now: Date,
                clientCertificate: TLSConfiguration.ClientCertificate = .required) throws {
        self.identity = identity
        self.trust = trust
        self.clientCertificate = clientCertificate
        server = TLSContextSlot(try Self.context(.server, identity: identity, trust: trust, now: now,
                                                 clientCertificate: clientCertificate))
        client = TLSContextSlot(try Self.context(.client, identity: identity, trust: trust, now: now))
    }

    /// Builds both contexts from the trust held now and swaps them in.
    package func rebuild(now: Date) throws {
        let newServer = try Self.context(.server, identity: identity, trust: trust, now: now,
                                         clientCertificate: clientCertificate)
        let newClient = try Self.context(.client, identity: identity, trust: trust, now: now)
        try server.replace(with: newServer)
        try client.replace(with: newClient)
    }

    /// TLS 1.3 (1.2 AEAD floor, docs/design.md §10) with the federation root as the only trust anchor and the CRL checked in
    /// the handshake. A CRL past nextUpdate would make OpenSSL fail *every* chain ("CRL has expired"); under the
    /// `warn` policy the handshake then runs without it and `PeerAdmission` still applies the stale CRL's revocations
    /// right after, so a late CRL degrades to a warning instead of cutting off the federation.
    ///
    /// `clientCertificate` applies to the server context only: `.requestedButOptional` lets a client without a
    /// certificate through the handshake (the DSP guard then serves it the version endpoint and nothing else),
    /// while a certificate that is presented is still checked against root and CRL.
    static func context(_ role: TLSConfiguration.Role, identity: ConnectorIdentity, trust: FederationTrust,
                        now: Date, clientCertificate: TLSConfiguration.ClientCertificate = .required) throws -> TLSContext {
        let crl = trust.crl
        let stale = trust.crlFreshness(at: now).isStale
        let lists = stale && trust.staleCRLPolicy == .warn ? [] : [crl]
        let configuration = TLSConfiguration(
            role: role, certificateChain: identity.certificateChain, privateKey: identity.privateKey,
            trustRoots: [trust.root], revocationLists: lists, requiresRevocationList: !lists.isEmpty,
            clientCertificate: clientCertificate)
        return try TLSContext(configuration: configuration)
    }
}
