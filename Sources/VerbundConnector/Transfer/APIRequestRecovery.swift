import Foundation
import VerbundStore

/// At start: every API request that was admitted (and counted) but whose outcome entry the previous process did not
/// write gets its entry now, saying that the outcome is unknown — so the log names every request the budget counted,
/// also across a crash (`DeferredAuditEvents`, transfer migration 37).
enum APIRequestRecovery {
    static let reason = "the connector stopped before this request's outcome was recorded; whether and what the "
        + "consumer received is unknown"

    /// Records the unrecorded requests in one transaction; returns how many.
    @discardableResult
    static func run(context: ConnectorContext) throws -> Int {
        try context.audit.transaction { tx in
            let rows = try UpstreamRequestTable.unrecorded(in: tx)
            for row in rows {
                guard let record = try TransferTable.find(localPid: row.pid, in: tx) else {
                    try UpstreamRequestTable.markRecorded(row.row, in: tx)
                    continue
                }
                try context.audit.record(APIDataResponse.event(record: record, path: row.path, query: row.query, status: 0,
                                                               bytes: 0, sha256: nil, cut: reason), in: tx)
                try UpstreamRequestTable.markRecorded(row.row, in: tx)
            }
            return rows.count
        }
    }
}
