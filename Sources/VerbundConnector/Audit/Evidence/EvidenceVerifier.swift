import Foundation
import VerbundAudit
import VerbundDataspace
import VerbundFederation
import VerbundTrust

/// The result of `EvidenceVerifier.verify`: the named checks and, if the contract could be read, what it says.
public struct EvidenceVerification: Sendable {
    public let report: AuditReport
    public let summary: ContractSummary?
}

/// Verifies an evidence bundle offline with nothing but the federation's root certificate (and optionally a newer
/// CRL): no daemon, no network. Each check has a stable name (docs/auditor.md explains them):
///
/// `bundle-format`, `contract`, `contract-signatures`, `provider-signature`, `consumer-signature`, `signer-certificates`, `crl`,
/// `provider-chain`, `consumer-chain`, `not-revoked-at-signing`, `registry`, `provider-membership`,
/// `consumer-membership`, `tree-head-signature`, `tree-head-signer`, `inclusion-proofs`, `entries-relevant`,
/// and with a newer CRL `revocation-now`.
public enum EvidenceVerifier {
    public static func verify(_ bytes: [UInt8], root: Certificate, currentCRL: CertificateRevocationList? = nil)
        -> EvidenceVerification {
        var report = AuditReport()
        let bundle: EvidenceBundle
        do {
            bundle = try EvidenceBundle(bytes: bytes)
        } catch {
            report.fail("bundle-format", "\(error)")
            return EvidenceVerification(report: report, summary: nil)
        }
        report.pass("bundle-format", "canonical JSON with every member of \(EvidenceBundle.typeName)")

        // The contract: general JWS over the exact agreement bytes, signed by both parties.
        let jws: GeneralJWS
        let agreement: Agreement
        do {
            jws = try GeneralJWS(json: try CanonicalJSON.encode(bundle.contract))
            try requireCanonicalBase64URL(jws)
        } catch {
            report.fail("contract", "the contract is not a JWS in general JSON serialization: \(error)")
            return EvidenceVerification(report: report, summary: nil)
        }
        // Every signature against its own x5c key first: a changed agreement byte shows here, before it is read.
        let unverified = jws.signatures.indices.filter { index in
            guard let chain = try? jws.signatures[index].header.certificateChain() else { return true }
            return (try? jws.verify(signatureAt: index, with: chain[0].publicKey)) == nil
        }
        report.record("contract-signatures", ok: unverified.isEmpty && jws.signatures.count == 2,
                      "both ES256 signatures verify over the exact agreement bytes",
                      failure: jws.signatures.count != 2 ? "the contract carries \(jws.signatures.count) signatures, not 2"
                          : "signatures \(unverified.map(String.init).joined(separator: ", ")) do not verify: the agreement or a signature was changed")
        do {
            agreement = try DSPJSON.decode(Agreement.self, from: Data(jws.payload))
        } catch {
            report.fail("contract", "the contract is not a readable signed agreement: \(error)")
            return EvidenceVerification(report: report, summary: nil)
        }
        guard let signedAt = agreement.agreedAt else {
            report.fail("contract", "the agreement has no timestamp, so the time of signing is unknown")
            return EvidenceVerification(report: report, summary: nil)
        }
        report.pass("contract", "agreement \(agreement.id) with \(jws.signatures.count) signatures, agreed \(ContractSummary.format(signedAt))")

        let providerChain = verifySignature(of: agreement.assigner, role: "provider", in: jws, report: &report)
        let consumerChain = verifySignature(of: agreement.assignee, role: "consumer", in: jws, report: &report)
        let listed = (decodeChain(bundle.providerChain), decodeChain(bundle.consumerChain))
        report.record("signer-certificates",
                      ok: providerChain != nil && consumerChain != nil && listed.0 == providerChain && listed.1 == consumerChain,
                      "the bundle's signer certificates are the ones in the signatures' x5c",
                      failure: "the bundle's signer certificates differ from the certificates in the signatures' x5c")

        // The CRL in force at signing time, issued by the root.
        var crl: CertificateRevocationList?
        if let der = Data(base64Encoded: bundle.crl), Data(der).base64EncodedString() == bundle.crl,
           let parsed = try? CertificateRevocationList(der: Array(der)) {
            let issued = parsed.isSigned(by: root)
            report.record("crl", ok: issued && parsed.thisUpdate <= signedAt,
                          "CRL number \(parsed.number.map(String.init) ?? "?") issued by the root \(ContractSummary.format(parsed.thisUpdate))",
                          failure: issued ? "the CRL was issued after the contract was signed, so it was not the one in force"
                                          : "the CRL's signature does not verify with the federation root")
            if issued { crl = parsed }
        } else {
            report.fail("crl", "the CRL is not base64 DER of an X.509 CRL")
        }

        for (role, chain) in [("provider", providerChain), ("consumer", consumerChain)] {
            guard let chain else {
                report.fail("\(role)-chain", "no \(role) certificate to verify")
                continue
            }
            do {
                try ChainVerifier(root: root).verify(chain[0], intermediates: Array(chain.dropFirst().filter { $0 != root }), at: signedAt)
                report.pass("\(role)-chain", "\(chain[0].subject) chains to the federation root and was valid at signing time")
            } catch {
                report.fail("\(role)-chain", "\(chain[0].subject): \(error)")
            }
        }
        if let crl, let providerChain, let consumerChain {
            let revoked = [providerChain[0], consumerChain[0]].filter { crl.isRevoked($0) }
            report.record("not-revoked-at-signing", ok: revoked.isEmpty,
                          "neither signer certificate is on the CRL in force at signing time",
                          failure: "revoked at signing time: \(revoked.map(\.subject).joined(separator: ", "))")
        } else {
            report.fail("not-revoked-at-signing", "cannot tell without a valid CRL and both certificates")
        }

        // The registry in force at signing time: both signers active members under their participant ids.
        var registry: MemberRegistry?
        do {
            let signed = try SignedRegistry(compact: bundle.registry, root: root, crl: crl, expectedFederation: nil, at: signedAt)
            try requireCanonicalBase64URL(compact: bundle.registry)
            guard signed.registry.issuedAt <= signedAt else {
                throw EvidenceFormatError("registry serial \(signed.registry.serial) was issued after the contract was signed")
            }
            registry = signed.registry
            report.pass("registry", "registry serial \(signed.registry.serial) of \(signed.registry.federation.name), signed by \(signed.signer.subject)")
        } catch {
            report.fail("registry", "\(error)")
        }
        for (role, participant, chain) in [("provider", agreement.assigner, providerChain), ("consumer", agreement.assignee, consumerChain)] {
            guard let registry, let chain else {
                report.fail("\(role)-membership", "cannot tell without a valid registry and certificate")
                continue
            }
            guard let member = registry.member(participantId: participant) else {
                report.fail("\(role)-membership", "the registry lists no member \(participant)")
                continue
            }
            let listedCertificate = member.certificate(fingerprint: chain[0].fingerprintSHA256)
            report.record("\(role)-membership",
                          ok: member.status == .active && listedCertificate?.isValid(at: signedAt) == true,
                          "\(member.name) (\(member.id)) was an active member and the registry lists the signing certificate",
                          failure: member.status != .active ? "\(member.id) was \(member.status.rawValue) at signing time"
                                                            : "the registry does not list \(member.id)'s signing certificate for that time")
        }

        // The log: a tree head signed by one of the parties, and every entry included in it.
        var summaryEvents: [ContractSummary.LoggedEvent] = []
        var sth: SignedTreeHead?
        do {
            sth = try SignedTreeHead(compact: bundle.treeHead)
            report.pass("tree-head-signature", "tree head of size \(sth!.treeSize) signed by \(sth!.signer.subject)")
        } catch {
            report.fail("tree-head-signature", "\(error)")
        }
        if let sth {
            do {
                try sth.verifyChain(ChainVerifier(root: root), at: sth.head.timestamp)
                let uris = Set(sth.signer.subjectAltNameURIs)
                guard uris.contains(agreement.assigner) || uris.contains(agreement.assignee) else {
                    throw EvidenceFormatError("the tree head was signed by \(sth.signer.subject), not by a party to the contract")
                }
                report.pass("tree-head-signer", "the tree head's signer is a party to the contract and chains to the root")
            } catch {
                report.fail("tree-head-signer", "\(error)")
            }
            var broken: [Int] = []
            var unrelated: [Int] = []
            // Negotiation steps before the agreement existed name only the process ids; they belong to this contract
            // when an entry that names the agreement ties those ids to it.
            let ids: Set<String> = [agreement.id]
            let pids = Set(bundle.entries.flatMap { entry -> [String] in
                guard let value = try? CanonicalJSON.decode(Array(entry.entry.utf8)),
                      EvidenceExporter.mentions(value, anyOf: ids) else { return [] }
                return ["providerPid", "consumerPid"].compactMap { value["fields"]?[$0]?.stringValue }
            })
            for entry in bundle.entries {
                let bytes = Array(entry.entry.utf8)
                let proof = InclusionProof(leafIndex: entry.index, treeSize: sth.treeSize, path: entry.path)
                if !CanonicalJSON.isCanonical(bytes) || !proof.verify(leafHash: MerkleTree.leafHash(bytes), rootHash: sth.rootHash) {
                    broken.append(entry.index)
                    continue
                }
                guard let value = try? CanonicalJSON.decode(bytes) else { continue }
                summaryEvents.append(ContractSummary.event(index: entry.index, value: value))
                if !EvidenceExporter.mentions(value, anyOf: ids.union(pids)) { unrelated.append(entry.index) }
            }
            report.record("inclusion-proofs", ok: broken.isEmpty && !bundle.entries.isEmpty,
                          "all \(bundle.entries.count) log entries are in the signed tree",
                          failure: bundle.entries.isEmpty ? "the bundle holds no log entries"
                                                          : "entries \(broken.map(String.init).joined(separator: ", ")) are not in the signed tree (changed, or the proof is wrong)")
            report.record("entries-relevant", ok: unrelated.isEmpty, "every entry names this contract or its negotiation",
                          failure: "entries \(unrelated.map(String.init).joined(separator: ", ")) do not name this contract")
        }

        if let currentCRL {
            checkRevocationNow(currentCRL, root: root, signedAt: signedAt, chains: [providerChain, consumerChain].compactMap { $0 },
                               report: &report)
        }

        let summary = ContractSummary(
            agreementId: agreement.id, provider: ContractSummary.party(agreement.assigner, in: registry),
            consumer: ContractSummary.party(agreement.assignee, in: registry), dataset: agreement.target,
            rules: PolicyDescription.describe(agreement), purpose: agreement.purpose, signedAt: signedAt, events: summaryEvents,
            treeSize: sth?.treeSize ?? 0, treeHeadAt: sth?.head.timestamp ?? Date(timeIntervalSince1970: 0))
        return EvidenceVerification(report: report, summary: summary)
    }

    /// The signature whose `x5c` leaf carries `participant` in its SAN URIs must verify with that leaf's key.
    private static func verifySignature(of participant: String, role: String, in jws: GeneralJWS,
                                        report: inout AuditReport) -> [Certificate]? {
        let check = "\(role)-signature"
        for index in jws.signatures.indices {
            guard let chain = try? jws.signatures[index].header.certificateChain(),
                  chain[0].subjectAltNameURIs.contains(participant) else { continue }
            do {
                try jws.verify(signatureAt: index, with: chain[0].publicKey)
                report.pass(check, "ES256 signature \(index) by \(chain[0].subject) (\(participant)) verifies over the agreement")
                return chain
            } catch {
                report.fail(check, "signature \(index) by \(chain[0].subject) does not verify: the agreement or the signature was changed")
                return chain
            }
        }
        report.fail(check, "no signature's certificate names \(participant)")
        return nil
    }

    private static func checkRevocationNow(_ crl: CertificateRevocationList, root: Certificate, signedAt: Date,
                                           chains: [[Certificate]], report: inout AuditReport) {
        guard crl.isSigned(by: root) else {
            report.fail("revocation-now", "the CRL given with --crl is not signed by the federation root")
            return
        }
        var notes: [String] = []
        for chain in chains {
            guard let entry = crl.entries.first(where: { $0.serialNumber == chain[0].serialNumber }) else { continue }
            let reason = entry.reason.map { String(describing: $0) } ?? "unspecified"
            if entry.revocationDate <= signedAt {
                report.fail("revocation-now", "\(chain[0].subject) was revoked \(ContractSummary.format(entry.revocationDate)) (\(reason)), before the contract was signed")
                return
            }
            notes.append("\(chain[0].subject) revoked since \(ContractSummary.format(entry.revocationDate)) (\(reason)), after signing")
        }
        if notes.isEmpty {
            report.pass("revocation-now", "neither signer is revoked as of CRL number \(crl.number.map(String.init) ?? "?")")
        } else {
            report.notice("revocation-now", notes.joined(separator: "; "))
        }
    }

    private static func decodeChain(_ texts: [String]) -> [Certificate]? {
        var chain: [Certificate] = []
        for text in texts {
            guard let der = Data(base64Encoded: text), Data(der).base64EncodedString() == text,
                  let certificate = try? Certificate(der: Array(der)) else { return nil }
            chain.append(certificate)
        }
        return chain
    }

    /// base64url admits several spellings of the same bytes (unused trailing bits); only the canonical one is accepted.
    private static func requireCanonicalBase64URL(_ jws: GeneralJWS) throws {
        guard Base64URL.encode(jws.payload) == jws.encodedPayload,
              jws.signatures.allSatisfy({ signature in
                  Base64URL.decode(signature.encodedHeader).map(Base64URL.encode) == signature.encodedHeader
                      && Base64URL.encode(signature.signature) == signature.encodedSignature
              }) else {
            throw EvidenceFormatError("a part of the contract JWS is not canonical base64url")
        }
    }

    private static func requireCanonicalBase64URL(compact: String) throws {
        for part in compact.split(separator: ".", omittingEmptySubsequences: false) {
            guard let bytes = Base64URL.decode(String(part)), Base64URL.encode(bytes) == part else {
                throw EvidenceFormatError("a part of the registry JWS is not canonical base64url")
            }
        }
    }
}
