import Foundation
import VerbundHTTP
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
    /// Bounds of the public listener (`publicListen`): anyone may connect, so fewer connections, short timeouts and
    /// no request body (its routes are GET only).
    package var publicServer = HTTPServerConfiguration(
        maxConnections: 64, maxHandshakesPerSource: 8,
        limits: HTTPParserLimits(maxRequestLineBytes: 4 * 1024, maxHeaderBytes: 16 * 1024, maxHeaderCount: 64, maxBodyBytes: 0),
        headerTimeout: .seconds(5), idleTimeout: .seconds(15), bodyProgressTimeout: .seconds(5), writeTimeout: .seconds(30))

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
