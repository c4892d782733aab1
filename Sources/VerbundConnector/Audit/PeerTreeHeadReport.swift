import Foundation
import VerbundTrust

/// What this connector holds of one peer's log (`GET /api/audit/peers`, `verbund audit peers`).
package struct PeerTreeHeadReport: Codable, Sendable, Equatable {
    package let member: String
    /// `consistent` or `inconsistent`.
    package let status: String
    /// The newest of the peer's signed tree heads that passed every check.
    package let treeSize: Int
    package let rootHash: String
    package let timestamp: Date
    package let checkedAt: Date
    /// Why the peer is inconsistent, and the signed tree head that showed it.
    package let problem: String?
    package let conflictingTreeHead: String?
    /// How many of the peer's heads were accepted so far.
    package let headsReceived: Int

    static func all(context: ConnectorContext) throws -> [PeerTreeHeadReport] {
        try context.database.read { tx in
            try tx.query("""
                SELECT s.member_id, s.status, s.tree_size, s.root_hash, s.timestamp_ms, s.checked_at_ms, s.problem,
                       s.conflicting_jws,
                       (SELECT count(*) FROM audit_peer_tree_head h WHERE h.member_id = s.member_id) AS received
                FROM audit_peer_state s ORDER BY s.member_id
                """).map { row in
                PeerTreeHeadReport(
                    member: try row.string("member_id"), status: try row.string("status"), treeSize: try row.int("tree_size"),
                    rootHash: Hex.encode(try row.blob("root_hash")),
                    timestamp: Date(auditMilliseconds: try row.int64("timestamp_ms")),
                    checkedAt: Date(auditMilliseconds: try row.int64("checked_at_ms")),
                    problem: try row.optionalString("problem"), conflictingTreeHead: try row.optionalString("conflicting_jws"),
                    headsReceived: try row.int("received"))
            }
        }
    }
}
