import Foundation
import Synchronization
import VerbundAudit
import VerbundStore
import VerbundTrust

/// Signs tree heads of the connector's log with its own key and certificate (JWS ES256, `x5c`), keeps each in
/// `audit_signed_tree_head` and publishes the newest on the `TreeHeadRelay` (it then rides on every DSP response).
///
/// Before signing, the new head is checked against the previous one with a consistency proof from the store
/// (RFC 9162 §2.1.4): if the stored log no longer extends what was signed before, it was rewritten or damaged, and
/// the connector refuses to sign over it (fail closed) instead of vouching for the altered history.
final class TreeHeadSigner: Sendable {
    private let context: ConnectorContext
    /// One signature at a time: the worker thread and management requests may ask together.
    private let signing = Mutex(())

    init(context: ConnectorContext) {
        self.context = context
    }

    /// The newest head this connector signed, or nil before the first.
    func latest() throws -> SignedTreeHead? {
        let text = try context.database.read { tx in
            try tx.queryFirst("SELECT jws FROM audit_signed_tree_head ORDER BY id DESC LIMIT 1")?.string("jws")
        }
        guard let text else { return nil }
        return try SignedTreeHead(compact: text)
    }

    /// Signs a head over the whole log if it grew since the newest signed head (or none exists); returns the newest.
    @discardableResult
    func signIfChanged() throws -> SignedTreeHead {
        // Events whose cause is over but whose entry waits for a commit (`DeferredAuditEvents`) belong under this head.
        try context.audit.flushDeferred()
        return try signing.withLock { _ in
            let previous = try latest()
            let size = try context.audit.log.size()
            if let previous, previous.treeSize == size {
                if context.treeHeads.latest != previous.compact { context.treeHeads.publish(previous.compact) }
                return previous
            }
            return try sign(after: previous)
        }
    }

    private func sign(after previous: SignedTreeHead?) throws -> SignedTreeHead {
        let log = context.audit.log
        // Heads never go back in time, even if the clock is stepped back (NTP): the timestamp is at least the last one.
        let now = max(context.clock(), previous?.head.timestamp ?? .distantPast)
        let (head, proof) = try context.database.read { tx -> (TreeHead, ConsistencyProof?) in
            let head = try log.treeHead(timestamp: now, in: tx)
            guard let previous, previous.treeSize <= head.treeSize else { return (head, nil) }
            return (head, try log.consistencyProof(from: previous.treeSize, to: head.treeSize, in: tx))
        }
        if let previous {
            let outcome = TreeHeadConsistency.check(old: previous.head, new: head, proof: proof)
            guard outcome == .consistent else {
                let reason = outcome.description
                context.logger.error("audit.sth.refused", [
                    "reason": .string(reason), "previousSize": .int(previous.treeSize), "size": .int(head.treeSize),
                    "advice": "the stored log does not extend the last signed tree head; restore the database from a backup and investigate",
                ])
                throw TreeHeadSigningRefused(reason: reason, previousSize: previous.treeSize, size: head.treeSize)
            }
        }
        let signed = try SignedTreeHead.sign(head, key: context.identity.privateKey, chain: context.identity.certificateChain)
        try context.database.transaction { tx in
            try tx.execute("INSERT INTO audit_signed_tree_head (tree_size, root_hash, timestamp_ms, jws) VALUES (?, ?, ?, ?)",
                           [.integer(Int64(head.treeSize)), .blob(head.rootHash), .integer(head.timestampMilliseconds),
                            .text(signed.compact)])
        }
        context.treeHeads.publish(signed.compact)
        context.metrics.set(AuditMetrics.treeSize, to: Double(head.treeSize))
        context.metrics.increment(AuditMetrics.signedHeads)
        context.logger.debug("audit.sth.signed", ["treeSize": .int(head.treeSize), "rootHash": .string(Hex.encode(head.rootHash))])
        return signed
    }
}

/// The signer would not sign: the stored log does not extend the previous signed head.
struct TreeHeadSigningRefused: Error, CustomStringConvertible {
    let reason: String
    let previousSize: Int
    let size: Int

    var description: String {
        "refusing to sign a tree head of size \(size): \(reason) (previous signed size \(previousSize))"
    }
}
