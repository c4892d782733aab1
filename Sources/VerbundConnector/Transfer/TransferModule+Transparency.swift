import VerbundStore

extension TransferModule {
    /// Per dataset and partner, how many transfers this city served data in as provider (whatever state they ended
    /// in: a transfer that served data is a use, `TransferTable.usedCount`).
    package func contributeTransparency(to report: inout TransparencyReport, context: ConnectorContext,
                                        in transaction: Transaction) throws {
        let rows = try transaction.query("""
            SELECT dataset_id, peer_member_id, count(*) AS n FROM transfer_process
            WHERE role = 'provider' AND served_at_ms IS NOT NULL GROUP BY dataset_id, peer_member_id
            """)
        for row in rows {
            report.addTransfers(dataset: try row.string("dataset_id"), partner: try row.string("peer_member_id"),
                                count: try row.int("n"))
        }
    }
}
