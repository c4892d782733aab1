import Foundation

/// Gauges about the connector's standing and its host that an alert needs (docs/monitoring/verbund-alerts.yml):
/// read at each scrape, so they are never stale and never missing.
enum OperatingGauges {
    /// 1 for the own membership status in the registry held (`active`, `suspended`, `revoked`, `unlisted`).
    static let memberStatus = "verbund_member_status"
    /// Bytes free for the daemon on the file system of `dataDirectory` (`statvfs`, blocks available to non-root).
    static let dataDirectoryFree = "verbund_data_directory_free_bytes"
    /// Size of the file system of `dataDirectory`.
    static let dataDirectorySize = "verbund_data_directory_size_bytes"

    static let statuses = ["active", "suspended", "revoked", "unlisted"]

    static func declare(for context: ConnectorContext) {
        let memberId = context.identity.memberId
        context.metrics.sampledGauge(memberStatus, help: "1 for this member's status in the federation registry held.") {
            [trust = context.trust] in
            let current = trust.registry.member(id: memberId)?.status.rawValue ?? "unlisted"
            // Every status has a series (0 or 1), so `== 1` alerts and dashboards never see "no data".
            return statuses.map { (labels: ["status": $0], value: $0 == current ? 1 : 0) }
        }
        let directory = context.configuration.dataDirectory
        context.metrics.sampledGauge(dataDirectoryFree, help: "Bytes available to the daemon on the file system of dataDirectory.") {
            guard let space = fileSystemSpace(directory) else { return [] }
            return [(labels: [:], value: space.free)]
        }
        context.metrics.sampledGauge(dataDirectorySize, help: "Size in bytes of the file system of dataDirectory.") {
            guard let space = fileSystemSpace(directory) else { return [] }
            return [(labels: [:], value: space.size)]
        }
    }

    static func fileSystemSpace(_ path: String) -> (free: Double, size: Double)? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        let unit = Double(stats.f_frsize)
        return (free: Double(stats.f_bavail) * unit, size: Double(stats.f_blocks) * unit)
    }
}
