import Foundation
import VerbundDataspace
import VerbundStore

/// The requests admitted for forwarding to an API dataset's upstream (`upstream_request`, transfer migration 35): what
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

    /// Records an admitted request (it counts from now on) and prunes rows older than two days; returns its row id.
    static func insert(pid: String, agreementId: String, at now: Date, in tx: Transaction) throws -> Int64 {
        try tx.execute("DELETE FROM upstream_request WHERE at_ms < ?", [.integer(milliseconds(now) - 2 * 86_400_000)])
        try tx.execute("INSERT INTO upstream_request (local_pid, agreement_id, at_ms) VALUES (?, ?, ?)",
                       [.text(pid), .text(agreementId), .integer(milliseconds(now))])
        return tx.lastInsertRowID
    }

    private static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
}
