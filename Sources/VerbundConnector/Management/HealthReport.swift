import Foundation
import VerbundFederation

/// The body of `GET /healthz`: enough for a monitor to tell the daemon is up and its trust material is current.
package struct HealthReport: Codable, Sendable, Equatable {
    /// `ok`, or `degraded` while the CRL is stale or this connector's own member is not active.
    package var status: String
    package var version: String
    package var member: String
    package var participantId: String
    package var registrySerial: UInt64
    package var crlNumber: UInt64?
    package var crlNextUpdate: Date?
    package var crlStale: Bool
    package var uptimeSeconds: Double
    package var warnings: [String]
    /// This connector's own member in the registry held: `active`, `suspended`, `revoked` or `unlisted` (optional for
    /// reports of older daemons).
    package var membership: String?
    package var membershipReason: String?

    init(context: ConnectorContext) {
        let now = context.clock()
        let crl = context.trust.crl
        let stale = context.trust.crlFreshness(at: now).isStale
        let own = context.peers.ownMember
        membership = own?.status.rawValue ?? "unlisted"
        membershipReason = own?.statusReason
        status = stale || own?.status != .active ? "degraded" : "ok"
        version = ConnectorVersion.current
        member = context.identity.memberId
        participantId = context.identity.participantId
        registrySerial = context.trust.registry.serial
        crlNumber = crl.number
        crlNextUpdate = crl.nextUpdate
        crlStale = stale
        uptimeSeconds = (now.timeIntervalSince(context.startedAt) * 1000).rounded() / 1000
        warnings = stale ? ["the federation CRL is past its nextUpdate; revocations may be missed — get a fresh crl.pem"] : []
        if let warning = Self.membershipWarning(own, registrySerial: registrySerial) { warnings.append(warning) }
    }

    /// What an operator must know when this connector's own member is not active, or nil.
    static func membershipWarning(_ own: Member?, registrySerial: UInt64) -> String? {
        let because = own?.statusReason.map { " (\($0))" } ?? ""
        switch own?.status {
        case .active?:
            return nil
        case .revoked?:
            return "this member is REVOKED in registry serial \(registrySerial)\(because): peers refuse this connector; "
                + "messages to peers are failed instead of retried — contact the federation admin"
        case .suspended?:
            return "this member is SUSPENDED in registry serial \(registrySerial)\(because): peers refuse this connector "
                + "until the federation admin reinstates it; messages to peers wait"
        case nil:
            return "this member is not listed in registry serial \(registrySerial): peers refuse this connector until the "
                + "admin admits it and a registry listing it arrives"
        }
    }
}
