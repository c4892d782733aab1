import Foundation
import VerbundTrust

/// Everything a `TLSContext` is built from: who we are, whom we trust, and the protocol floor.
///
/// Verbund speaks mutually authenticated TLS: both roles present a certificate chain and verify
/// the peer's chain against the federation root(s), with CRL checking when CRLs are given. The one
/// exception is a server built with `clientCertificate: .requestedButOptional`, which lets a client
/// without a certificate finish the handshake (for the unauthenticated DSP version endpoint). TLS 1.3 is
/// preferred; TLS 1.2 is the floor and then only with ECDHE key exchange and AEAD ciphers (docs/design.md §10).
/// A configuration is a value; changing trust material means building a new `TLSContext` from it.
package struct TLSConfiguration: Sendable {
    /// Which side of the handshake contexts built from this configuration play.
    package enum Role: Sendable, Equatable { case server, client }

    /// Whether a server insists on a client certificate.
    package enum ClientCertificate: Sendable, Equatable {
        /// A client without a certificate fails the handshake (mutual TLS; the default).
        case required
        /// A client may send no certificate; one it does send is verified exactly as under `.required`
        /// (chain, CRL) and a bad one still fails the handshake. Its stream's `peerCertificate` is then nil.
        case requestedButOptional
        /// No certificate is asked for and none is verified: a public web server (the connector's public listener,
        /// which browsers reach with the city's server certificate). Needs no trust roots.
        case notRequested
    }

    /// Protocol versions Verbund can be configured for; nothing below TLS 1.2 exists here.
    package enum ProtocolVersion: Sendable, Comparable {
        case tls12, tls13
    }

    package var role: Role
    /// Our certificate first, then any intermediates (not the root).
    package var certificateChain: [Certificate]
    /// The private key of `certificateChain[0]`; nil only for an anonymous client (`anonymousClient`).
    package var privateKey: PrivateKey?
    /// Certificates a peer's chain must end in (the federation root).
    package var trustRoots: [Certificate]
    /// CRLs of the trust roots (RFC 5280 §5). When non-empty, every peer leaf is checked against them.
    package var revocationLists: [CertificateRevocationList]
    /// Refuse to build a context without CRLs, so a misconfigured node cannot silently skip revocation.
    package var requiresRevocationList: Bool
    /// Lowest version offered or accepted; TLS 1.2 is the floor.
    package var minimumVersion: ProtocolVersion
    /// Highest version; lower it only to test or to talk to a peer that cannot do TLS 1.3.
    package var maximumVersion: ProtocolVersion
    /// Verify certificates and CRLs as of this time instead of now (tests, auditing a past state).
    package var verificationTime: Date?
    /// Client only: also check that the server certificate names the host we connect to
    /// (`SSL_set1_host`). Off by default: a peer's identity is its SAN URI, checked by a `PeerIdentityCheck`.
    package var verifiesServerHostname: Bool
    /// Server only: the session id context OpenSSL requires on a verifying server (`SSL_CTX_set_session_id_context`).
    package var sessionIDContext: String
    /// Longest accepted chain below the trust root (leaf + intermediates).
    package var maximumChainDepth: Int
    /// Server only: whether a client must present a certificate. Ignored by clients, which always
    /// require and verify the server's certificate.
    package var clientCertificate: ClientCertificate
    /// Client only: with no `trustRoots`, verify the server against the system trust store (OpenSSL's default paths)
    /// instead of refusing to build the context. Set by `anonymousClient` and `upstreamClient` only: a federation
    /// client never falls back to the system store.
    package var trustsSystemStore = false

    package init(role: Role, certificateChain: [Certificate], privateKey: PrivateKey?, trustRoots: [Certificate],
                revocationLists: [CertificateRevocationList] = [], requiresRevocationList: Bool = false,
                minimumVersion: ProtocolVersion = .tls12, maximumVersion: ProtocolVersion = .tls13,
                verificationTime: Date? = nil, verifiesServerHostname: Bool = false,
                sessionIDContext: String = "verbund", maximumChainDepth: Int = 3,
                clientCertificate: ClientCertificate = .required) {
        self.role = role
        self.certificateChain = certificateChain
        self.privateKey = privateKey
        self.trustRoots = trustRoots
        self.revocationLists = revocationLists
        self.requiresRevocationList = requiresRevocationList
        self.minimumVersion = minimumVersion
        self.maximumVersion = maximumVersion
        self.verificationTime = verificationTime
        self.verifiesServerHostname = verifiesServerHostname
        self.sessionIDContext = sessionIDContext
        self.maximumChainDepth = maximumChainDepth
        self.clientCertificate = clientCertificate
    }

    /// A server that verifies client certificates and, unless `clientCertificate` says otherwise, requires one.
    package static func server(certificateChain: [Certificate], privateKey: PrivateKey, trustRoots: [Certificate],
                              revocationLists: [CertificateRevocationList] = [],
                              clientCertificate: ClientCertificate = .required) -> TLSConfiguration {
        TLSConfiguration(role: .server, certificateChain: certificateChain, privateKey: privateKey,
                         trustRoots: trustRoots, revocationLists: revocationLists, clientCertificate: clientCertificate)
    }

    /// A client that presents its certificate and verifies the server's chain.
    package static func client(certificateChain: [Certificate], privateKey: PrivateKey, trustRoots: [Certificate],
                              revocationLists: [CertificateRevocationList] = []) -> TLSConfiguration {
        TLSConfiguration(role: .client, certificateChain: certificateChain, privateKey: privateKey,
                         trustRoots: trustRoots, revocationLists: revocationLists)
    }

    /// A client without a certificate of its own that verifies the server's chain against `trustRoots` — or, when
    /// they are empty, the system trust store (OpenSSL's default paths) — and the server's name against the host it
    /// connects to (RFC 9110 §4.3.4): how the provider reaches an API dataset's upstream outside the federation.
    package static func anonymousClient(trustRoots: [Certificate]) -> TLSConfiguration {
        var configuration = TLSConfiguration(role: .client, certificateChain: [], privateKey: nil, trustRoots: trustRoots,
                                             verifiesServerHostname: true, maximumChainDepth: 8)
        configuration.privateKey = nil
        configuration.trustsSystemStore = true
        return configuration
    }

    /// `anonymousClient` with a certificate of its own (mutual TLS to an API dataset's upstream that requires one):
    /// the server is verified against `trustRoots` or, when they are empty, the system trust store, and its name
    /// against the host.
    package static func upstreamClient(certificateChain: [Certificate], privateKey: PrivateKey,
                                       trustRoots: [Certificate]) -> TLSConfiguration {
        var configuration = TLSConfiguration(role: .client, certificateChain: certificateChain, privateKey: privateKey,
                                             trustRoots: trustRoots, verifiesServerHostname: true, maximumChainDepth: 8)
        configuration.trustsSystemStore = true
        return configuration
    }
}
