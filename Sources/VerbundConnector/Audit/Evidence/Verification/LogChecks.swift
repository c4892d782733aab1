import Foundation
import VerbundAudit
import VerbundTrust

/// `tree-head-signature`: the signed tree head's JWS verifies with its x5c key.
struct TreeHeadSignatureCheck: EvidenceCheck {
    func run(_ evidence: inout EvidenceFindings, _ report: inout AuditReport) -> EvidenceCheckFlow {
        guard let bundle = evidence.bundle else { return .stop }
        do {
            let sth = try SignedTreeHead(compact: bundle.treeHead)
            evidence.treeHead = sth
            report.pass("tree-head-signature", "tree head of size \(sth.treeSize) signed by \(sth.signer.subject)")
        } catch {
            report.fail("tree-head-signature", "\(error)")
        }
        return .proceed
    }
}

/// `tree-head-signer`: the head's signer chains to the root, is a party to the contract, and is not on the CRL in
/// force at signing (a party revoked before the contract cannot vouch for its log).
struct TreeHeadSignerCheck: EvidenceCheck {
    func run(_ evidence: inout EvidenceFindings, _ report: inout AuditReport) -> EvidenceCheckFlow {
        guard let sth = evidence.treeHead, let agreement = evidence.agreement else { return .proceed }
        do {
            _ = try sth.verifyChain(ChainVerifier(root: evidence.root), at: sth.head.timestamp)
            let uris = Set(sth.signer.subjectAltNameURIs)
            guard uris.contains(agreement.assigner) || uris.contains(agreement.assignee) else {
                throw EvidenceFormatError("the tree head was signed by \(sth.signer.subject), not by a party to the contract")
            }
            guard let crl = evidence.crl else {
                throw EvidenceFormatError("cannot tell whether \(sth.signer.subject) was revoked without a valid CRL")
            }
            if crl.isRevoked(sth.signer) {
                throw EvidenceFormatError("the tree head's signer \(sth.signer.subject) is on the CRL in force at signing time")
            }
            report.pass("tree-head-signer", "the tree head's signer is a party to the contract, chains to the root and is not on the CRL")
        } catch {
            report.fail("tree-head-signer", "\(error)")
        }
        return .proceed
    }
}

/// `inclusion-proofs`: every entry is canonical JSON and its proof leads to the head's root hash.
struct InclusionProofsCheck: EvidenceCheck {
    func run(_ evidence: inout EvidenceFindings, _ report: inout AuditReport) -> EvidenceCheckFlow {
        guard let bundle = evidence.bundle, let sth = evidence.treeHead else { return .proceed }
        var broken: [Int] = []
        for entry in bundle.entries {
            let bytes = Array(entry.entry.utf8)
            let proof = InclusionProof(leafIndex: entry.index, treeSize: sth.treeSize, path: entry.path)
            guard CanonicalJSON.isCanonical(bytes), proof.verify(leafHash: MerkleTree.leafHash(bytes), rootHash: sth.rootHash),
                  let value = try? CanonicalJSON.decode(bytes) else {
                broken.append(entry.index)
                continue
            }
            evidence.includedEntries.append((entry.index, value))
        }
        report.record("inclusion-proofs", ok: broken.isEmpty && !bundle.entries.isEmpty,
                      "all \(bundle.entries.count) log entries are in the signed tree",
                      failure: bundle.entries.isEmpty ? "the bundle holds no log entries"
                                                      : "entries \(broken.map(String.init).joined(separator: ", ")) are not in the signed tree (changed, or the proof is wrong)")
        return .proceed
    }
}

/// `entries-relevant`: every entry names the agreement, or the process ids an entry naming the agreement ties to it.
struct EntriesRelevantCheck: EvidenceCheck {
    func run(_ evidence: inout EvidenceFindings, _ report: inout AuditReport) -> EvidenceCheckFlow {
        guard let bundle = evidence.bundle, evidence.treeHead != nil, let agreement = evidence.agreement else { return .proceed }
        // Negotiation steps before the agreement existed name only the process ids.
        let ids: Set<String> = [agreement.id]
        let pids = Set(bundle.entries.flatMap { entry -> [String] in
            guard let value = try? CanonicalJSON.decode(Array(entry.entry.utf8)),
                  EvidenceBundle.mentions(value, anyOf: ids) else { return [] }
            return ["providerPid", "consumerPid"].compactMap { value["fields"]?[$0]?.stringValue }
        })
        let unrelated = evidence.includedEntries.filter { !EvidenceBundle.mentions($0.value, anyOf: ids.union(pids)) }.map(\.index)
        report.record("entries-relevant", ok: unrelated.isEmpty, "every entry names this contract or its negotiation",
                      failure: "entries \(unrelated.map(String.init).joined(separator: ", ")) do not name this contract")
        return .proceed
    }
}
