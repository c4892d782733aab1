/// The audit module's metrics (`verbund_audit_…`).
enum AuditMetrics {
    /// Gauge: size of the newest signed tree head.
    static let treeSize = "verbund_audit_tree_size"
    /// Counter: tree heads signed.
    static let signedHeads = "verbund_audit_signed_tree_heads_total"
    /// Counter: peers' signed tree heads checked, label `result` (`consistent`, `older`, `inconsistent`, `invalid`, `unverified`).
    static let peerHeads = "verbund_audit_peer_tree_heads_total"
    /// Gauge: peers whose signed tree heads were found inconsistent.
    static let inconsistentPeers = "verbund_audit_inconsistent_peers"

    static func declare(in metrics: MetricsRegistry) {
        metrics.gauge(treeSize, help: "Size of the newest signed tree head of the connector's log.")
        metrics.counter(signedHeads, help: "Signed tree heads made.")
        metrics.counter(peerHeads, help: "Peers' signed tree heads checked, by result.")
        metrics.gauge(inconsistentPeers, help: "Peers that presented a signed tree head inconsistent with an earlier one.")
        // A gauge an alert compares must have a sample before the first check, or the alert cannot tell "none" from "unknown".
        if metrics.value(inconsistentPeers) == nil { metrics.set(inconsistentPeers, to: 0) }
    }
}
