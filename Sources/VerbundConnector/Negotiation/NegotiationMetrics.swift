import VerbundStore

/// The negotiation module's metrics.
package enum NegotiationMetrics {
    /// Gauge (sampled from the store): negotiations by `state` and `role`.
    package static let negotiations = "verbund_negotiations"
    /// Counter: state changes, labels `role` and `state` (the state entered).
    package static let transitions = "verbund_negotiation_transitions_total"

    static func declare(in context: ConnectorContext) {
        context.metrics.counter(transitions, help: "Contract negotiation state changes by role and state entered.")
        let database = context.database
        context.metrics.sampledGauge(negotiations, help: "Contract negotiations by role and state.") {
            let rows = try? database.read { tx in
                try tx.query("SELECT role, COALESCE(state, 'INITIAL') AS state, COUNT(*) AS n FROM negotiation GROUP BY 1, 2")
                    .map { (role: try $0.string("role"), state: try $0.string("state"), count: try $0.int("n")) }
            }
            return (rows ?? []).map { (labels: ["role": $0.role, "state": $0.state], value: Double($0.count)) }
        }
    }
}
