import VerbundFederation
import VerbundTrust

/// What the DSP listener knows about the peer of a connection: the member the federation trust admitted and the
/// certificate it proved in the TLS handshake (kept so every request can be re-admitted against the newest registry).
package struct AdmittedPeer: Sendable {
    package let member: Member
    package let certificate: Certificate

    package init(member: Member, certificate: Certificate) {
        self.member = member
        self.certificate = certificate
    }
}
