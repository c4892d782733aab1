import Foundation
import VerbundDataspace
import VerbundStore

/// The requests admitted for forwarding to an API dataset's upstream (`upstream_request`, transfer migrations 35 and 37): what
/// the `requestsPerDay` budget counts, per agreement and calendar day in UTC (`RequestBudgetDay`).
enum UpstreamRequestTable {
    /// Requests of `agreementId` admitted on the UTC day of `now`, leaving out row `excluding` (the request being
    /// re-checked while it streams).
    static func countToday(agreementId: String, now: Date, excluding: Int64? = nil, in tx: Transaction) throws -> Int {
        let day = RequestBudgetDay(containing: now)
        return try tx.queryFirst("""
            SELECT count(*) AS n FROM upstream_request WHERE agreement_id = ? AND at_ms >= ? AND at_ms < ? AND id != ?
            """, [.text(agreementId), .integer(milliseconds(day.start)), .integer(milliseconds(day.end)),
                  .integer(excluding ?? -1)])?.int("n") ?? 0
    }

    /// Records an admitted request (it counts from now on; its outcome is not recorded yet) and prunes recorded rows
    /// older than two days; returns its row id. `path` and `query` are stored bounded, as the log entry shows them.
    static func insert(pid: String, agreementId: String, path: String, query: String, at now: Date,
                       in tx: Transaction) throws -> Int64 {
        try tx.execute("DELETE FROM upstream_request WHERE at_ms < ? AND recorded = 1",
                       [.integer(milliseconds(now) - 2 * 86_400_000)])
        try tx.execute("""
            INSERT INTO upstream_request (local_pid, agreement_id, at_ms, path, query, recorded) VALUES (?, ?, ?, ?, ?, 0)
            """, [.text(pid), .text(agreementId), .integer(milliseconds(now)), .text(path), .text(query)])
        return tx.lastInsertRowID
    }

    /// The outcome of request `row` is in the log.
    static func markRecorded(_ row: Int64, in tx: Transaction) throws {
        try tx.execute("UPDATE upstream_request SET recorded = 1 WHERE id = ?", [.integer(row)])
    }

    /// An admitted request whose outcome entry was never written (the connector stopped first).
    struct Unrecorded: Equatable {
        let row: Int64
        let pid: String
        let agreementId: String
        let path: String
        let query: String
        let at: Date
    }

    /// Every request whose outcome was not recorded, oldest first.
    static func unrecorded(in tx: Transaction) throws -> [Unrecorded] {
        try tx.query("""
            SELECT id, local_pid, agreement_id, path, query, at_ms FROM upstream_request WHERE recorded = 0 ORDER BY id
            """).map { row in
            Unrecorded(row: try row.int64("id"), pid: try row.string("local_pid"), agreementId: try row.string("agreement_id"),
                       path: try row.string("path"), query: try row.string("query"),
                       at: Date(timeIntervalSince1970: Double(try row.int64("at_ms")) / 1000))
        }
    }

    private static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
}
