import Foundation
import VerbundFederation
import VerbundStore

/// Everything a module needs to do its work, shared by all threads of the daemon: who we are, the state database,
/// the federation trust held now, a clock, the logger, the peers and the client to reach them, the outbox, the audit
/// trail and the metrics. Built once by `Connector.start` (or directly in tests) and immutable afterwards; the
/// mutable parts (trust, outbox, metrics) are thread-safe themselves.
public final class ConnectorContext: Sendable {
    public let configuration: ConnectorConfiguration
    public let identity: ConnectorIdentity
    public let database: Database
    public let trust: FederationTrust
    /// The time for every decision (policy windows, log entries, outbox schedule); tests inject a fixed clock.
    public let clock: @Sendable () -> Date
    public let logger: StructuredLogger
    /// Member id ↔ participant id ↔ endpoint, from the registry held now.
    public let peers: PeerDirectory
    /// HTTP over mTLS to members, verifying that the server is the member meant.
    public let peerClient: PeerClient
    /// The DSP listener's and the peer client's TLS contexts (rebuilt when the CRL changes).
    public let tls: ConnectorTLS
    public let outbox: OutboxDispatcher
    public let audit: AuditTrail
    public let metrics: MetricsRegistry
    /// Registry serials and CRL numbers peers announce, on their way to the federation sync.
    public let announcements: AnnouncementRelay
    /// Signed tree heads: ours out on DSP responses, peers' in to the audit module.
    public let treeHeads: TreeHeadRelay
    /// The path of the configured DSP endpoint without a trailing slash, e.g. `/dsp` (empty for an endpoint at `/`).
    public let dspBasePath: String
    /// When this context was made (uptime on `/healthz`).
    public let startedAt: Date
    /// How many records each member may make us write per minute (refused registries, new negotiations and transfers).
    public let memberWrites: MemberWrites

    public init(configuration: ConnectorConfiguration, identity: ConnectorIdentity, database: Database,
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
    public func enqueue(_ request: OutboxRequest, in tx: Transaction) throws {
        try outbox.enqueue(request, in: tx, context: self)
    }
}
