import Foundation

/// The body of `GET /api/status` (what `verbund status` prints).
package struct StatusReport: Codable, Sendable, Equatable {
    package struct Listeners: Codable, Sendable, Equatable {
        package var dsp: String
        package var dspPort: UInt16?
        package var management: String
        package var managementPort: UInt16?
    }

    package var health: HealthReport
    package var endpoint: String
    package var federationId: String
    package var registryIssuedAt: Date
    package var members: Int
    package var activeMembers: Int
    package var outboxPending: Int?
    package var auditLogSize: Int?
    package var modules: [String]
    package var listeners: Listeners

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
