import Foundation
import VerbundAudit
import VerbundDataspace
import VerbundFederation
import VerbundTrust

/// The result of `EvidenceVerifier.verify`: the named checks and, if the contract could be read, what it says.
package struct EvidenceVerification: Sendable {
    package let report: AuditReport
    package let summary: ContractSummary?
}

/// Verifies an evidence bundle offline with nothing but the federation's root certificate (and optionally a newer
/// CRL): no daemon, no network. The verification is the ordered list of `EvidenceCheck`s below, each with a stable
/// name that docs/auditor.md explains; to add a check, write a type and put it where what it needs is established.
package enum EvidenceVerifier {
    static let standardChecks: [any EvidenceCheck] = [
        BundleFormatCheck(),
        ContractFormCheck(),
        ContractSignaturesCheck(),
        AgreementCheck(),
        PartySignatureCheck(party: .provider),
        PartySignatureCheck(party: .consumer),
        SignerCertificatesCheck(),
        CRLAtSigningCheck(),
        PartyChainCheck(party: .provider),
        PartyChainCheck(party: .consumer),
        NotRevokedAtSigningCheck(),
        RegistryAtSigningCheck(),
        MembershipCheck(party: .provider),
        MembershipCheck(party: .consumer),
        TreeHeadSignatureCheck(),
        TreeHeadSignerCheck(),
        InclusionProofsCheck(),
        EntriesRelevantCheck(),
        SigningTimeCheck(),
        RevocationNowCheck(),
    ]

    package static func verify(_ bytes: [UInt8], root: Certificate, currentCRL: CertificateRevocationList? = nil)
        -> EvidenceVerification {
        verify(bytes, root: root, currentCRL: currentCRL, checks: standardChecks)
    }

    static func verify(_ bytes: [UInt8], root: Certificate, currentCRL: CertificateRevocationList?,
                       checks: [any EvidenceCheck]) -> EvidenceVerification {
        var evidence = EvidenceFindings(bytes: bytes, root: root, currentCRL: currentCRL)
        var report = AuditReport()
        for check in checks where check.run(&evidence, &report) == .stop {
            break
        }
        return EvidenceVerification(report: report, summary: summary(of: evidence))
    }

    /// The contract in plain words, from the checked material only; nil when the agreement could not be read.
    static func summary(of evidence: EvidenceFindings) -> ContractSummary? {
        guard let agreement = evidence.agreement, let signedAt = evidence.signedAt else { return nil }
        return ContractSummary(
            agreementId: agreement.id, provider: ContractSummary.party(agreement.assigner, in: evidence.registry),
            consumer: ContractSummary.party(agreement.assignee, in: evidence.registry), dataset: agreement.target,
            rules: PolicyDescription.describe(agreement), purpose: agreement.purpose, signedAt: signedAt,
            events: evidence.includedEntries.map { ContractSummary.event(index: $0.index, value: $0.value) },
            treeSize: evidence.treeHead?.treeSize ?? 0,
            treeHeadAt: evidence.treeHead?.head.timestamp ?? Date(timeIntervalSince1970: 0))
    }
}
