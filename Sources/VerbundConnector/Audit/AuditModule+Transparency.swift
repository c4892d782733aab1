import VerbundAudit
import VerbundStore
import VerbundTrust

extension AuditModule {
    /// The newest signed tree head: log size, root hash, time, and the JWS itself (what peers receive anyway).
    package func contributeTransparency(to report: inout TransparencyReport, context: ConnectorContext,
                                        in transaction: Transaction) throws {
        guard let text = try transaction.queryFirst("SELECT jws FROM audit_signed_tree_head ORDER BY id DESC LIMIT 1")?
            .string("jws") else { return }
        let signed = try SignedTreeHead(compact: text)
        report.treeHead = TransparencyReport.TreeHead(size: signed.treeSize, rootHash: Hex.encode(signed.rootHash),
                                                      timestamp: signed.head.timestamp, signed: signed.compact)
    }
}
