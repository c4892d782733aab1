import Foundation
import VerbundTransport

/// How a `Connector` runs beyond its configuration file: the clock, where logs go, and server bounds. The defaults are
/// the daemon's; tests inject a log capture and shorter timeouts.
package struct ConnectorOptions: Sendable {
    package var clock: @Sendable () -> Date
    package var logger: StructuredLogger
    package var metrics: MetricsRegistry
    package var outbox: OutboxDispatcher.Settings
    package var dspServer: HTTPServerConfiguration
    package var managementServer: HTTPServerConfiguration
    /// How long `stop()` lets requests in flight finish before cutting them off.
    package var stopGrace: Duration
    /// Bounds of registry/CRL fetches from peers that announce newer ones.
    package var federationFetch = FederationFetchSettings()
    /// How many records one member may make this connector write per minute.
    package var memberWrites = MemberWriteLimits()

    package init(clock: @escaping @Sendable () -> Date = Date.init, logger: StructuredLogger = StructuredLogger(),
                metrics: MetricsRegistry = MetricsRegistry(), outbox: OutboxDispatcher.Settings = OutboxDispatcher.Settings(),
                dspServer: HTTPServerConfiguration = HTTPServerConfiguration(),
                managementServer: HTTPServerConfiguration = HTTPServerConfiguration(maxConnections: 16),
                stopGrace: Duration = .seconds(5)) {
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
        self.outbox = outbox
        self.dspServer = dspServer
        self.managementServer = managementServer
        self.stopGrace = stopGrace
    }
}
