import Foundation
import VerbundStore

/// The connector's columns next to the store's `outbox` table (core migration 2, `connector_outbox_route`): the
/// message's kind and correlation, the member it goes to (resolved at delivery time), and how it ended.
enum OutboxRouteTable {
    struct Route {
        let kind: String
        let correlation: String?
        let memberId: String?
        let memberPath: String?
    }

    static func insert(id: String, kind: String, correlation: String?, memberId: String?, memberPath: String?,
                       in tx: Transaction) throws {
        try tx.execute("""
            INSERT INTO connector_outbox_route (message_id, kind, correlation, member_id, member_path)
            VALUES (?, ?, ?, ?, ?)
            """, [.text(id), .text(kind), SQLiteValue(correlation), SQLiteValue(memberId), SQLiteValue(memberPath)])
    }

    static func route(id: String, in tx: Transaction) throws -> Route? {
        guard let row = try tx.queryFirst(
            "SELECT kind, correlation, member_id, member_path FROM connector_outbox_route WHERE message_id = ?",
            [.text(id)]) else { return nil }
        return Route(kind: try row.string("kind"), correlation: try row.optionalString("correlation"),
                     memberId: try row.optionalString("member_id"), memberPath: try row.optionalString("member_path"))
    }

    static func finish(id: String, outcome: OutboxOutcome, at time: Date, in tx: Transaction) throws {
        try tx.execute("""
            UPDATE connector_outbox_route SET outcome = ?, response_status = ?, finished_at_ms = ? WHERE message_id = ?
            """, [.text(outcome.name), SQLiteValue(outcome.status.map(Int64.init)),
                  .integer(Int64((time.timeIntervalSince1970 * 1000).rounded(.down))), .text(id)])
    }

    /// Makes the pending messages to `memberId` (every member when nil) that wait for a later attempt due at `time`:
    /// an operator's "retry now" once a peer is back, instead of waiting out the backoff. Returns how many.
    static func makeDue(memberId: String?, at time: Date, in tx: Transaction) throws -> Int {
        let now = Int64((time.timeIntervalSince1970 * 1000).rounded(.down))
        return try tx.execute("""
            UPDATE outbox SET next_attempt_at_ms = ?
            WHERE delivered_at_ms IS NULL AND next_attempt_at_ms > ?
              AND (? IS NULL OR id IN (SELECT message_id FROM connector_outbox_route WHERE member_id = ?))
            """, [.integer(now), .integer(now), SQLiteValue(memberId), SQLiteValue(memberId)])
    }

    /// When the earliest pending message falls due after `time`, so the dispatcher sleeps exactly until then.
    static func nextAttempt(after time: Date, in tx: Transaction) throws -> Date? {
        let row = try tx.queryFirst("""
            SELECT MIN(next_attempt_at_ms) AS next FROM outbox WHERE delivered_at_ms IS NULL AND next_attempt_at_ms > ?
            """, [.integer(Int64((time.timeIntervalSince1970 * 1000).rounded(.down)))])
        return try row?.optionalInt64("next").map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }
}
