import Foundation
import VerbundConnector
import VerbundFederation

/// `verbund status`: what the running connector reports about itself.
enum StatusCommand {
    static var command: Command {
        Command(
            name: "status",
            summary: "show the running connector's health, federation trust and listeners",
            discussion: """
                Asks the management API of the connector configured in connector.json (--config or VERBUND_CONFIG).
                Example: verbund status --config ./jena/connector.json --json
                """,
            options: [
                .value("config", "FILE", "The connector configuration (default: $VERBUND_CONFIG)."),
                .flag("json", "Print the status as JSON."),
            ]
        ) { arguments, console in
            let client = try ManagementClient(configurationFile: arguments.value("config"))
            let response = try client.send(.get, "/api/status")
            let status = try client.decode(response, as: StatusReport.self)
            if arguments.flag("json") {
                console.out(TerminalText.json(String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
                return
            }
            for line in lines(status) { console.out(line) }
        }
    }

    static func lines(_ status: StatusReport) -> [String] {
        let health = status.health
        let date = ISO8601DateFormatter()
        var lines = [
            "verbund \(health.version) — member \(health.member) (\(health.participantId)): \(health.status)",
            "  endpoint        \(status.endpoint)",
            "  federation      \(status.federationId), registry serial \(health.registrySerial) of \(date.string(from: status.registryIssuedAt)), \(status.activeMembers)/\(status.members) members active",
            "  CRL             number \(health.crlNumber.map(String.init) ?? "none"), next update \(health.crlNextUpdate.map { date.string(from: $0) } ?? "none")\(health.crlStale ? " (STALE)" : "")",
            "  listeners       DSP \(status.listeners.dsp) (port \(status.listeners.dspPort.map(String.init) ?? "?")), management \(status.listeners.management) (port \(status.listeners.managementPort.map(String.init) ?? "?"))",
            "  outbox          \(status.outboxPending.map { "\($0) pending" } ?? "unknown")",
            "  audit log       \(status.auditLogSize.map { "\($0) entries" } ?? "unknown")",
            "  modules         \(status.modules.joined(separator: ", "))",
            "  uptime          \(Int(health.uptimeSeconds)) s",
        ]
        if let membership = health.membership {
            lines.insert("  membership      \(membership == "active" ? membership : membership.uppercased())"
                         + (health.membershipReason.map { " (\($0))" } ?? ""), at: 2)
        }
        lines += health.warnings.map { "warning: \($0)" }
        // Ids, names and addresses come from the registry and from configuration: never raw to the terminal.
        return lines.map(PrintableText.escaped)
    }
}
