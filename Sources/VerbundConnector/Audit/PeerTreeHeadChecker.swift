import Foundation
import VerbundAudit
import VerbundFederation
import VerbundStore
import VerbundTrust

/// Checks each signed tree head a peer sends against the last one of that peer that passed (docs/design.md §17: "a
/// city cannot rewrite its history without its peers' copies of its STHs exposing it"):
///
/// 1. the JWS verifies, its signer chains to the federation root, is not on the CRL, and is a certificate the
///    registry lists for that very member;
/// 2. same size: the root hashes must be equal (two different signed roots of one size are a fork);
/// 3. other size: a consistency proof fetched from the peer (`GET <endpoint>/audit/consistency?from=N&to=M`) must
///    connect the two roots (RFC 9162 §2.1.4.2).
///
/// An inconsistency is logged at error level, counted, written to this connector's own audit log (with both heads)
/// and kept in `audit_peer_state` for `verbund audit peers`; the last good head stays as the reference.
final class PeerTreeHeadChecker: Sendable {
    enum Result: String, Sendable {
        case first, same, consistent, older, inconsistent, invalid, unverified
    }

    private let context: ConnectorContext

    init(context: ConnectorContext) {
        self.context = context
    }

    @discardableResult
    func check(memberId: String, compact: String) -> Result {
        let result = evaluate(memberId: memberId, compact: compact)
        context.metrics.increment(AuditMetrics.peerHeads, labels: ["result": result.rawValue])
        return result
    }

    private struct Stored {
        let head: SignedTreeHead
        let status: String
        let conflicting: String?
    }

    private func evaluate(memberId: String, compact: String) -> Result {
        let now = context.clock()
        let sth: SignedTreeHead
        do {
            sth = try SignedTreeHead(compact: compact)
            try sth.verifyChain(ChainVerifier(root: context.trust.root, crl: context.trust.crl), at: now)
            guard context.trust.registry.member(certificateFingerprint: sth.signer.fingerprintSHA256)?.id == memberId else {
                throw SignedTreeHeadError.signerNotTrusted("the registry does not list \(sth.signer.subject) for member \(memberId)")
            }
        } catch {
            context.logger.warning("audit.peer-sth.invalid", ["member": .string(memberId), "error": .error(error)])
            return .invalid
        }
        let stored: Stored?
        do {
            stored = try load(memberId)
        } catch {
            context.logger.error("audit.peer-sth.store-failed", ["member": .string(memberId), "error": .error(error)])
            return .unverified
        }
        guard let stored else {
            saveConsistent(memberId, sth, now: now, first: true)
            return .first
        }
        if stored.head.compact == sth.compact || stored.conflicting == sth.compact { return .same }

        let old = stored.head.head
        var proof: ConsistencyProof?
        if old.treeSize != sth.treeSize {
            do {
                proof = try fetchProof(memberId, from: min(old.treeSize, sth.treeSize), to: max(old.treeSize, sth.treeSize))
            } catch {
                context.logger.warning("audit.peer-sth.unverified", [
                    "member": .string(memberId), "heldSize": .int(old.treeSize), "size": .int(sth.treeSize),
                    "error": .error(error),
                ])
                return .unverified
            }
        }
        switch TreeHeadConsistency.check(old: old, new: sth.head, proof: proof) {
        case .consistent:
            if stored.status == "inconsistent" { return .consistent }  // stays flagged; the reference head stays
            saveConsistent(memberId, sth, now: now, first: false)
            return .consistent
        case .older:
            return .older
        case let outcome:
            recordInconsistency(memberId, held: stored.head, presented: sth, reason: outcome.description, now: now)
            return .inconsistent
        }
    }

    private func load(_ memberId: String) throws -> Stored? {
        let row = try context.database.read { tx in
            try tx.queryFirst("SELECT jws, status, conflicting_jws FROM audit_peer_state WHERE member_id = ?", [.text(memberId)])
        }
        guard let row else { return nil }
        return Stored(head: try SignedTreeHead(compact: try row.string("jws")), status: try row.string("status"),
                      conflicting: try row.optionalString("conflicting_jws"))
    }

    private func fetchProof(_ memberId: String, from first: Int, to second: Int) throws -> ConsistencyProof {
        let response = try context.peerClient.send(toMember: memberId, method: .get,
                                                   path: "/audit/consistency?from=\(first)&to=\(second)")
        guard response.status.code == 200 else {
            throw PeerProofError("the peer answered \(response.status.code) to the consistency proof request")
        }
        let proof = try ConsistencyProofJSON.decode(response.body)
        guard proof.firstSize == first, proof.secondSize == second else {
            throw PeerProofError("the peer sent a proof for sizes \(proof.firstSize)→\(proof.secondSize), not \(first)→\(second)")
        }
        return proof
    }

    private func saveConsistent(_ memberId: String, _ sth: SignedTreeHead, now: Date, first: Bool) {
        do {
            try context.database.transaction { tx in
                try tx.execute("""
                    INSERT INTO audit_peer_state (member_id, tree_size, root_hash, timestamp_ms, jws, status, checked_at_ms)
                    VALUES (?, ?, ?, ?, ?, 'consistent', ?)
                    ON CONFLICT (member_id) DO UPDATE SET tree_size = excluded.tree_size, root_hash = excluded.root_hash,
                        timestamp_ms = excluded.timestamp_ms, jws = excluded.jws, checked_at_ms = excluded.checked_at_ms
                    """, [.text(memberId), .integer(Int64(sth.treeSize)), .blob(sth.rootHash),
                          .integer(sth.head.timestampMilliseconds), .text(sth.compact), .integer(now.auditMilliseconds)])
                try tx.execute("""
                    INSERT INTO audit_peer_tree_head (member_id, tree_size, root_hash, timestamp_ms, jws, received_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, [.text(memberId), .integer(Int64(sth.treeSize)), .blob(sth.rootHash),
                          .integer(sth.head.timestampMilliseconds), .text(sth.compact), .integer(now.auditMilliseconds)])
            }
        } catch {
            context.logger.error("audit.peer-sth.store-failed", ["member": .string(memberId), "error": .error(error)])
        }
        if first {
            context.logger.info("audit.peer-sth.first", ["member": .string(memberId), "treeSize": .int(sth.treeSize)])
        }
    }

    private func recordInconsistency(_ memberId: String, held: SignedTreeHead, presented: SignedTreeHead, reason: String, now: Date) {
        context.logger.error("audit.peer.inconsistent", [
            "member": .string(memberId), "reason": .string(reason),
            "heldSize": .int(held.treeSize), "heldRoot": .string(Hex.encode(held.rootHash)),
            "presentedSize": .int(presented.treeSize), "presentedRoot": .string(Hex.encode(presented.rootHash)),
            "advice": "the member's log was rewritten or forked; keep both signed tree heads (verbund audit peers --json) and tell the federation admin",
        ])
        do {
            try context.database.transaction { tx in
                try tx.execute("""
                    UPDATE audit_peer_state SET status = 'inconsistent', problem = ?, conflicting_jws = ?, checked_at_ms = ?
                    WHERE member_id = ?
                    """, [.text(reason), .text(presented.compact), .integer(now.auditMilliseconds), .text(memberId)])
                try context.audit.record(AuditEvent(kind: "audit.peer.inconsistent", fields: [
                    "member": .string(memberId), "reason": .string(reason),
                    "heldTreeHead": .string(held.compact), "presentedTreeHead": .string(presented.compact),
                ]), in: tx)
            }
            let count = try context.database.read { tx in
                try tx.queryFirst("SELECT count(*) AS n FROM audit_peer_state WHERE status = 'inconsistent'")?.int("n") ?? 0
            }
            context.metrics.set(AuditMetrics.inconsistentPeers, to: Double(count))
        } catch {
            context.logger.error("audit.peer-sth.store-failed", ["member": .string(memberId), "error": .error(error)])
        }
    }
}

struct PeerProofError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
