/// Names of the metrics the core declares; modules declare their own with their prefix (`verbund_catalog_…`).
package enum ConnectorMetrics {
    /// Counter: HTTP requests answered, labels `listener` (`dsp`, `management`), `route` (the pattern), `status`.
    package static let requests = "verbund_http_requests_total"
    /// Counter: TLS handshakes of the DSP listener refused by admission, label `reason`.
    package static let refusedPeers = "verbund_dsp_refused_peers_total"
    /// Counter (sampled from the DSP listener): connections closed right after accept because the handshake stage was
    /// full or their source had too many handshakes under way.
    package static let dspHandshakesRefused = "verbund_dsp_handshakes_refused_total"
    /// Counter (sampled from the DSP listener): handshakes cut off to make room for newer connections.
    package static let dspHandshakesEvicted = "verbund_dsp_handshakes_evicted_total"
    /// Gauge (sampled): outbox messages not yet finished.
    package static let outboxDepth = "verbund_outbox_pending"
    /// Counter: outbox delivery attempts, labels `kind` and `result` (`acknowledged`, `refused`, `undeliverable`, `retry`).
    package static let outboxAttempts = "verbund_outbox_attempts_total"
    /// Gauge: serial of the registry held.
    package static let registrySerial = "verbund_registry_serial"
    /// Gauge: number of the CRL held.
    package static let crlNumber = "verbund_crl_number"
    /// Gauge: 1 while the CRL held is past its nextUpdate.
    package static let crlStale = "verbund_crl_stale"
    /// Counter: registry and CRL offers, labels `what` (`registry`, `crl`), `source` (`file`, `url`, `peer`), `result`.
    package static let trustUpdates = "verbund_trust_updates_total"
    /// Gauge: seconds since the Unix epoch when the daemon started.
    package static let startTime = "verbund_start_time_seconds"

    static func declare(in metrics: MetricsRegistry) {
        metrics.counter(requests, help: "HTTP requests answered, by listener, route pattern and status.")
        metrics.counter(refusedPeers, help: "Peers refused at the DSP listener after the TLS handshake, by reason.")
        metrics.counter(outboxAttempts, help: "Outbox delivery attempts, by message kind and result.")
        metrics.gauge(registrySerial, help: "Serial of the federation registry held.")
        metrics.gauge(crlNumber, help: "CRL number of the federation CRL held.")
        metrics.gauge(crlStale, help: "1 while the federation CRL held is past its nextUpdate.")
        metrics.counter(trustUpdates, help: "Registry and CRL offers, by kind, source and result.")
        metrics.gauge(startTime, help: "Start time of the daemon in seconds since the Unix epoch.")
    }
}
