import VerbundTrust

/// Decides who a TLS peer is after its chain verified: maps the certificate to an `Identity`
/// (e.g. a federation member) or refuses it.
///
/// The chain check proves the certificate comes from the federation CA; this check decides whether
/// that member is admitted now (registry status, fingerprint, role). docs/design.md §6: "an unknown,
/// suspended or revoked member … gets no handshake past TLS".
package struct PeerIdentityCheck<Identity: Sendable>: Sendable {
    private let body: @Sendable (PeerCertificate) throws -> Identity

    /// `body` returns the peer's identity or throws (a `PeerRefusal` for a reason in words).
    package init(_ body: @escaping @Sendable (PeerCertificate) throws -> Identity) {
        self.body = body
    }

    /// Runs the check; any error becomes `TransportError.peerRefused` naming the certificate.
    package func identify(_ peer: PeerCertificate) throws -> Identity {
        do {
            return try body(peer)
        } catch let refusal as PeerRefusal {
            throw TransportError.peerRefused("\(refusal.reason) [peer certificate \(peer)]")
        } catch {
            throw TransportError.peerRefused("\(error) [peer certificate \(peer)]")
        }
    }
}

extension PeerIdentityCheck where Identity == String {
    /// Admits a peer whose certificate carries exactly one SAN URI with `prefix`
    /// (e.g. `urn:verbund:test:`) and returns that URI as its participant id.
    package static func participantID(prefix: String) -> PeerIdentityCheck<String> {
        PeerIdentityCheck { peer in
            let matching = peer.uris.filter { $0.hasPrefix(prefix) }
            guard matching.count == 1, let id = matching.first else {
                throw PeerRefusal(matching.isEmpty
                    ? "the certificate has no subjectAltName URI starting with \(prefix)"
                    : "the certificate has several participant URIs (\(matching.joined(separator: ", ")))")
            }
            return id
        }
    }
}

extension PeerIdentityCheck where Identity == PeerCertificate {
    /// Admits every peer whose chain verified; its identity is the certificate itself.
    package static var verifiedChain: PeerIdentityCheck<PeerCertificate> {
        PeerIdentityCheck { $0 }
    }
}

extension TLSStream {
    /// Runs `check` on the peer's certificate; on refusal — or when the peer presented no certificate
    /// (see `TLSConfiguration.ClientCertificate`) — closes the stream and throws `TransportError.peerRefused`.
    package func identify<Identity>(with check: PeerIdentityCheck<Identity>) throws -> Identity {
        do {
            guard let peerCertificate else {
                throw TransportError.peerRefused("the peer presented no certificate [\(socket.peerDescription)]")
            }
            return try check.identify(peerCertificate)
        } catch {
            close()
            throw error
        }
    }
}
