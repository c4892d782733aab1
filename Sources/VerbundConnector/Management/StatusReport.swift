import Foundation

/// The body of `GET /api/status` (what `verbund status` prints).
public struct StatusReport: Codable, Sendable, Equatable {
    public struct Listeners: Codable, Sendable, Equatable {
        public var dsp: String
        public var dspPort: UInt16?
        public var management: String
        public var managementPort: UInt16?
    }

    public var health: HealthReport
    public var endpoint: String
    public var federationId: String
    public var registryIssuedAt: Date
    public var members: Int
    public var activeMembers: Int
    public var outboxPending: Int?
    public var auditLogSize: Int?
    public var modules: [String]
    public var listeners: Listeners

    init(context: ConnectorContext, info: DaemonInfo) {
        let registry = context.trust.registry
        health = HealthReport(context: context)
        endpoint = context.configuration.endpoint
        federationId = registry.federation.id
        registryIssuedAt = registry.issuedAt
        members = registry.members.count
        activeMembers = registry.members.filter { $0.status == .active }.count
        outboxPending = try? context.outbox.pendingCount()
        auditLogSize = try? context.audit.size()
        modules = info.modules
        listeners = Listeners(dsp: context.configuration.listen, dspPort: info.dspPort,
                              management: context.configuration.management, managementPort: info.managementPort)
    }
}
