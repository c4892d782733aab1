import VerbundStore

/// The transfer module's metrics.
package enum TransferMetrics {
    /// Gauge (sampled from the store): transfer processes by `role` and `state`.
    package static let transfers = "verbund_transfers"
    /// Counter: state changes, labels `role` and `state` (the state entered).
    package static let transitions = "verbund_transfer_transitions_total"
    /// Counter: data bytes, label `direction`: `served` (pull responses started), `pushed`, `received` (verified files).
    package static let bytes = "verbund_transfer_bytes_total"
    /// Counter: data requests refused, label `status` (401, 403, 404, 409, 410).
    package static let refusals = "verbund_transfer_data_refused_total"

    /// Counter: requests forwarded to API datasets' upstreams, label `outcome`: `complete`, `cut` (stopped while
    /// streaming: cap, deadline, revocation, consumer gone), `502` or `504` (no answer to forward).
    package static let upstreamRequests = "verbund_upstream_requests_total"

    /// Counter: requests of local applications forwarded to providers' API data planes (`ConsumerAPIProxy`), label
    /// `status` (the provider's, or 502/504 when it gave none).
    package static let proxyRequests = "verbund_proxy_requests_total"

    static func declare(in context: ConnectorContext) {
        context.metrics.counter(proxyRequests, help: "Local API requests forwarded to providers, by status.")
        context.metrics.counter(upstreamRequests, help: "Requests forwarded to API dataset upstreams, by outcome.")
        context.metrics.counter(transitions, help: "Transfer process state changes by role and state entered.")
        context.metrics.counter(bytes, help: "Transfer data bytes by direction (served, pushed, received).")
        context.metrics.counter(refusals, help: "Data plane requests refused, by status.")
        let database = context.database
        context.metrics.sampledGauge(transfers, help: "Transfer processes by role and state.") {
            let rows = try? database.read { tx in
                try tx.query("SELECT role, COALESCE(state, 'NONE') AS state, COUNT(*) AS n FROM transfer_process GROUP BY 1, 2")
                    .map { (role: try $0.string("role"), state: try $0.string("state"), count: try $0.int("n")) }
            }
            return (rows ?? []).map { (labels: ["role": $0.role, "state": $0.state], value: Double($0.count)) }
        }
    }
}
