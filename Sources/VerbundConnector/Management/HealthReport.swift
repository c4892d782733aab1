import Foundation

/// The body of `GET /healthz`: enough for a monitor to tell the daemon is up and its trust material is current.
public struct HealthReport: Codable, Sendable, Equatable {
    /// `ok`, or `degraded` while the CRL is stale.
    public var status: String
    public var version: String
    public var member: String
    public var participantId: String
    public var registrySerial: UInt64
    public var crlNumber: UInt64?
    public var crlNextUpdate: Date?
    public var crlStale: Bool
    public var uptimeSeconds: Double
    public var warnings: [String]

    init(context: ConnectorContext) {
        let now = context.clock()
        let crl = context.trust.crl
        let stale = context.trust.crlFreshness(at: now).isStale
        status = stale ? "degraded" : "ok"
        version = ConnectorVersion.current
        member = context.identity.memberId
        participantId = context.identity.participantId
        registrySerial = context.trust.registry.serial
        crlNumber = crl.number
        crlNextUpdate = crl.nextUpdate
        crlStale = stale
        uptimeSeconds = (now.timeIntervalSince(context.startedAt) * 1000).rounded() / 1000
        warnings = stale ? ["the federation CRL is past its nextUpdate; revocations may be missed — get a fresh crl.pem"] : []
    }
}
