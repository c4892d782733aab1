import VerbundTrust

/// Who this connector is: its member id and participant id, its private key and the certificate chain the federation
/// issued for it (leaf first). The key never leaves the process; the chain is what peers see in the TLS handshake.
package struct ConnectorIdentity: Sendable {
    package let memberId: String
    /// `urn:verbund:<federation>:<member>`, the SAN URI of `certificate`.
    package let participantId: String
    package let privateKey: PrivateKey
    /// Leaf first, then any intermediates (Verbund federations usually issue from the root directly).
    package let certificateChain: [Certificate]

    package init(memberId: String, participantId: String, privateKey: PrivateKey, certificateChain: [Certificate]) {
        precondition(!certificateChain.isEmpty, "a connector identity needs its certificate")
        self.memberId = memberId
        self.participantId = participantId
        self.privateKey = privateKey
        self.certificateChain = certificateChain
    }

    /// The leaf certificate.
    package var certificate: Certificate { certificateChain[0] }
}
