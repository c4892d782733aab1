import Foundation
import VerbundAudit
import VerbundFederation
import VerbundTrust

/// `crl`: the bundle's CRL is signed by the root and was issued no later than the signing time (the one in force).
struct CRLAtSigningCheck: EvidenceCheck {
    func run(_ evidence: inout EvidenceFindings, _ report: inout AuditReport) -> EvidenceCheckFlow {
        guard let bundle = evidence.bundle, let signedAt = evidence.signedAt else { return .stop }
        guard let der = Data(base64Encoded: bundle.crl), Data(der).base64EncodedString() == bundle.crl,
              let crl = try? CertificateRevocationList(der: Array(der)) else {
            report.fail("crl", "the CRL is not base64 DER of an X.509 CRL")
            return .proceed
        }
        let issued = crl.isSigned(by: evidence.root)
        report.record("crl", ok: issued && crl.thisUpdate <= signedAt,
                      "CRL number \(crl.number.map(String.init) ?? "?") issued by the root \(ContractSummary.format(crl.thisUpdate))",
                      failure: issued ? "the CRL was issued after the contract was signed, so it was not the one in force"
                                      : "the CRL's signature does not verify with the federation root")
        if issued { evidence.crl = crl }
        return .proceed
    }
}

/// `provider-chain`, `consumer-chain`: the signer's certificate chains to the root and was valid at signing time.
struct PartyChainCheck: EvidenceCheck {
    let party: EvidenceParty

    func run(_ evidence: inout EvidenceFindings, _ report: inout AuditReport) -> EvidenceCheckFlow {
        let check = "\(party.rawValue)-chain"
        guard let signedAt = evidence.signedAt else { return .stop }
        guard let chain = evidence.chain(of: party) else {
            report.fail(check, "no \(party.rawValue) certificate to verify")
            return .proceed
        }
        do {
            try ChainVerifier(root: evidence.root).verify(chain[0], intermediates: Array(chain.dropFirst().filter { $0 != evidence.root }),
                                                          at: signedAt)
            report.pass(check, "\(chain[0].subject) chains to the federation root and was valid at signing time")
        } catch {
            report.fail(check, "\(chain[0].subject): \(error)")
        }
        return .proceed
    }
}

/// `not-revoked-at-signing`: neither signer certificate is on the CRL in force at signing time.
struct NotRevokedAtSigningCheck: EvidenceCheck {
    func run(_ evidence: inout EvidenceFindings, _ report: inout AuditReport) -> EvidenceCheckFlow {
        guard let crl = evidence.crl, let provider = evidence.providerChain, let consumer = evidence.consumerChain else {
            report.fail("not-revoked-at-signing", "cannot tell without a valid CRL and both certificates")
            return .proceed
        }
        let revoked = [provider[0], consumer[0]].filter { crl.isRevoked($0) }
        report.record("not-revoked-at-signing", ok: revoked.isEmpty,
                      "neither signer certificate is on the CRL in force at signing time",
                      failure: "revoked at signing time: \(revoked.map(\.subject).joined(separator: ", "))")
        return .proceed
    }
}

/// `registry`: the registry verifies under the root (signer not on the CRL) and was issued no later than signing.
struct RegistryAtSigningCheck: EvidenceCheck {
    func run(_ evidence: inout EvidenceFindings, _ report: inout AuditReport) -> EvidenceCheckFlow {
        guard let bundle = evidence.bundle, let signedAt = evidence.signedAt else { return .stop }
        do {
            let signed = try SignedRegistry(compact: bundle.registry, root: evidence.root, crl: evidence.crl,
                                            expectedFederation: nil, at: signedAt)
            for part in bundle.registry.split(separator: ".", omittingEmptySubsequences: false) {
                guard let bytes = Base64URL.decode(String(part)), Base64URL.encode(bytes) == part else {
                    throw EvidenceFormatError("a part of the registry JWS is not canonical base64url")
                }
            }
            guard signed.registry.issuedAt <= signedAt else {
                throw EvidenceFormatError("registry serial \(signed.registry.serial) was issued after the contract was signed")
            }
            evidence.registry = signed.registry
            report.pass("registry", "registry serial \(signed.registry.serial) of \(signed.registry.federation.name), signed by \(signed.signer.subject)")
        } catch {
            report.fail("registry", "\(error)")
        }
        return .proceed
    }
}

/// `provider-membership`, `consumer-membership`: the registry lists the signer as an active member under the
/// agreement's participant id, with this certificate, valid at signing time.
struct MembershipCheck: EvidenceCheck {
    let party: EvidenceParty

    func run(_ evidence: inout EvidenceFindings, _ report: inout AuditReport) -> EvidenceCheckFlow {
        let check = "\(party.rawValue)-membership"
        guard let signedAt = evidence.signedAt, let participant = evidence.participant(party) else { return .stop }
        guard let registry = evidence.registry, let chain = evidence.chain(of: party) else {
            report.fail(check, "cannot tell without a valid registry and certificate")
            return .proceed
        }
        guard let member = registry.member(participantId: participant) else {
            report.fail(check, "the registry lists no member \(participant)")
            return .proceed
        }
        let listedCertificate = member.certificate(fingerprint: chain[0].fingerprintSHA256)
        report.record(check, ok: member.status == .active && listedCertificate?.isValid(at: signedAt) == true,
                      "\(member.name) (\(member.id)) was an active member and the registry lists the signing certificate",
                      failure: member.status != .active ? "\(member.id) was \(member.status.rawValue) at signing time"
                                                        : "the registry does not list \(member.id)'s signing certificate for that time")
        return .proceed
    }
}
