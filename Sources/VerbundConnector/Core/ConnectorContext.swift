import Foundation
import VerbundFederation
import VerbundStore

/// Everything a module needs to do its work, shared by all threads of the daemon: who we are, the state database,
/// the federation trust held now, a clock, the logger, the peers and the client to reach them, the outbox, the audit
/// trail and the metrics. Built once by `Connector.start` (or directly in tests) and immutable afterwards; the
/// mutable parts (trust, outbox, metrics) are thread-safe themselves.
package final class ConnectorContext: Sendable {
    package let configuration: ConnectorConfiguration
    package let identity: ConnectorIdentity
    package let database: Database
    package let trust: FederationTrust
    /// The time for every decision (policy windows, log entries, outbox schedule); tests inject a fixed clock.
    package let clock: @Sendable () -> Date
    package let logger: StructuredLogger
    /// Member id ↔ participant id ↔ endpoint, from the registry held now.
    package let peers: PeerDirectory
    /// HTTP over mTLS to members, verifying that the server is the member meant.
    package let peerClient: PeerClient
    /// The DSP listener's and the peer client's TLS contexts (rebuilt when the CRL changes).
    package let tls: ConnectorTLS
    package let outbox: OutboxDispatcher
    package let audit: AuditTrail
    package let metrics: MetricsRegistry
    /// Registry serials and CRL numbers peers announce, on their way to the federation sync.
    package let announcements: AnnouncementRelay
    /// Signed tree heads: ours out on DSP responses, peers' in to the audit module.
    package let treeHeads: TreeHeadRelay
    /// The path of the configured DSP endpoint without a trailing slash, e.g. `/dsp` (empty for an endpoint at `/`).
    package let dspBasePath: String
    /// When this context was made (uptime on `/healthz`).
    package let startedAt: Date
    /// How many records each member may make us write per minute (refused registries, new negotiations and transfers).
    package let memberWrites: MemberWrites

    package init(configuration: ConnectorConfiguration, identity: ConnectorIdentity, database: Database,
                trust: FederationTrust, clock: @escaping @Sendable () -> Date = Date.init,
                logger: StructuredLogger = StructuredLogger(), metrics: MetricsRegistry = MetricsRegistry(),
                outboxSettings: OutboxDispatcher.Settings = OutboxDispatcher.Settings(),
                memberWriteLimits: MemberWriteLimits = .init()) throws {
        self.configuration = configuration
        self.identity = identity
        self.database = database
        self.trust = trust
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
        let now = clock()
        self.startedAt = now
        self.peers = PeerDirectory(trust: trust, selfMemberId: identity.memberId)
        self.tls = try ConnectorTLS(identity: identity, trust: trust, now: now,
                                    clientCertificate: configuration.opensVersionEndpoint ? .requestedButOptional : .required)
        self.announcements = AnnouncementRelay()
        self.treeHeads = TreeHeadRelay()
        self.peerClient = PeerClient(directory: peers, tls: tls, announcements: announcements, clock: clock, treeHeads: treeHeads)
        self.outbox = OutboxDispatcher(database: database, settings: outboxSettings)
        self.audit = AuditTrail(database: database, clock: clock)
        self.dspBasePath = PeerEndpoint(configuration.endpoint)?.basePath ?? ""
        self.memberWrites = MemberWrites(limits: memberWriteLimits.budget, metrics: metrics, logger: logger)
        ConnectorMetrics.declare(in: metrics)
        let outbox = self.outbox
        metrics.sampledGauge(ConnectorMetrics.outboxDepth, help: "Outbox messages not yet acknowledged, refused or given up.") {
            guard let count = try? outbox.pendingCount() else { return [] }
            return [(labels: [:], value: Double(count))]
        }
    }

    /// Enqueues `request` in `tx` (shorthand for `outbox.enqueue(_:in:context:)`).
    package func enqueue(_ request: OutboxRequest, in tx: Transaction) throws {
        try outbox.enqueue(request, in: tx, context: self)
    }
}
