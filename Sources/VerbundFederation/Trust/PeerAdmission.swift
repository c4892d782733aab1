import Foundation
import VerbundTrust

/// Decides whether a peer that presented `certificate` is a member this connector talks to.
///
/// It re-checks the chain and CRL itself (whatever TLS already did), then requires the registry to list the exact
/// certificate for an `active` member whose participant id is the certificate's SAN URI. Everything above the
/// transport sees the resulting `Member`, never the raw certificate.
package struct PeerAdmission: Sendable {
    package let root: Certificate
    package let registry: MemberRegistry
    package let crl: CertificateRevocationList
    package let staleCRLPolicy: StaleCRLPolicy

    package init(root: Certificate, registry: MemberRegistry, crl: CertificateRevocationList, staleCRLPolicy: StaleCRLPolicy = .warn) {
        self.root = root
        self.registry = registry
        self.crl = crl
        self.staleCRLPolicy = staleCRLPolicy
    }

    /// `.success(member)` to admit, `.failure(reason)` to refuse. `intermediates` are any further certificates the
    /// peer sent (Verbund federations issue directly from the root, so there are usually none).
    package func decide(certificate: Certificate, intermediates: [Certificate] = [], at now: Date) -> Result<Member, AdmissionRefusal> {
        let federationId = registry.federation.id
        let verbundURNs = certificate.subjectAltNameURIs.compactMap(ParticipantID.init(urn:))
        // A participant of another federation is named as such, even before its chain fails to verify.
        if let foreign = verbundURNs.first(where: { $0.federation != federationId }) {
            return .failure(.foreignFederation(found: foreign.urn, expected: federationId))
        }
        if staleCRLPolicy == .refuse, case let .stale(nextUpdate) = CRLFreshness(nextUpdate: crl.nextUpdate, now: now) {
            return .failure(.crlStale(nextUpdate: InternetDateTime.string(from: nextUpdate)))
        }
        switch FederationChain(root: root, crl: crl, staleCRLPolicy: staleCRLPolicy).verify(certificate, intermediates: intermediates, at: now) {
        case .valid: break
        case .revoked: return .failure(.revokedOnCRL(serial: certificate.serialNumber.hex))
        case let .notIssuedByRoot(reason), let .invalid(reason): return .failure(.chainFailed(reason))
        }
        let fingerprint = certificate.fingerprintSHA256
        guard let member = registry.member(certificateFingerprint: fingerprint) else {
            return .failure(.fingerprintNotListed(fingerprint: fingerprint, subject: certificate.subject))
        }
        guard member.status == .active else {
            return .failure(.memberNotActive(memberId: member.id, status: member.status, reason: member.statusReason))
        }
        guard certificate.subjectAltNameURIs.contains(member.participantId) else {
            return .failure(.participantMismatch(memberId: member.id, expected: member.participantId, found: certificate.subjectAltNameURIs))
        }
        return .success(member)
    }
}
