import Foundation
import VerbundAudit
import VerbundTrust

/// `revocation-now` (only with a newer CRL): whether a signer of the contract or of the tree head is revoked now.
///
/// A contract signer revoked after signing is a notice: the contract stays valid evidence. Revoked before signing
/// fails. The tree head's signer vouches for the log's times with its own clock, so a head whose signer was revoked
/// at or before the head's time fails, and so does one whose key was compromised at any time (whoever holds the key
/// can sign a head with any time); a later revocation for another reason is a notice.
struct RevocationNowCheck: EvidenceCheck {
    func run(_ evidence: inout EvidenceFindings, _ report: inout AuditReport) -> EvidenceCheckFlow {
        guard let crl = evidence.currentCRL, let signedAt = evidence.signedAt else { return .proceed }
        guard crl.isSigned(by: evidence.root) else {
            report.fail("revocation-now", "the CRL given with --crl is not signed by the federation root")
            return .proceed
        }
        var failures: [String] = []
        var notes: [String] = []
        for leaf in [evidence.providerChain?.first, evidence.consumerChain?.first].compactMap({ $0 }) {
            guard let entry = Self.entry(for: leaf, in: crl) else { continue }
            let reason = entry.reason.map { String(describing: $0) } ?? "unspecified"
            if entry.revocationDate <= signedAt {
                failures.append("\(leaf.subject) was revoked \(ContractSummary.format(entry.revocationDate)) (\(reason)), before the contract was signed")
            } else {
                notes.append("\(leaf.subject) revoked since \(ContractSummary.format(entry.revocationDate)) (\(reason)), after signing")
            }
        }
        if let sth = evidence.treeHead, let entry = Self.entry(for: sth.signer, in: crl) {
            let reason = entry.reason.map { String(describing: $0) } ?? "unspecified"
            let revoked = "the tree head's signer \(sth.signer.subject) was revoked \(ContractSummary.format(entry.revocationDate)) (\(reason))"
            if entry.revocationDate <= sth.head.timestamp {
                failures.append("\(revoked), before it signed the head at \(ContractSummary.format(sth.head.timestamp))")
            } else if entry.reason == .keyCompromise {
                failures.append("\(revoked): whoever held the key could have signed the head with any time")
            } else {
                notes.append("\(revoked), after the head's time \(ContractSummary.format(sth.head.timestamp)); that time is its own claim, compare with the heads its peers hold")
            }
        }
        if !failures.isEmpty {
            report.fail("revocation-now", failures.joined(separator: "; "))
        } else if notes.isEmpty {
            report.pass("revocation-now", "no signer of the contract or the tree head is revoked as of CRL number \(crl.number.map(String.init) ?? "?")")
        } else {
            report.notice("revocation-now", notes.joined(separator: "; "))
        }
        return .proceed
    }

    private static func entry(for certificate: Certificate, in crl: CertificateRevocationList) -> RevokedCertificate? {
        crl.entries.first { $0.serialNumber == certificate.serialNumber }
    }
}
