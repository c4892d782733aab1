import Foundation
import VerbundFederation

/// The people-facing table of `verbund federation show`.
enum FederationTable {
    static func render(_ registry: MemberRegistry, now: Date) -> String {
        var lines = [
            "Federation \(shown(registry.federation.id)) (\(shown(registry.federation.name)))",
            "Registry serial \(registry.serial), issued \(registry.issuedAt.formatted(.iso8601))",
            "",
        ]
        guard !registry.members.isEmpty else {
            lines.append("No members yet. Admit one with `verbund federation admit`.")
            return lines.joined(separator: "\n")
        }
        var rows = [["MEMBER", "NAME", "STATUS", "ROLES", "AGS", "ENDPOINT", "CERT EXPIRES"]]
        var warnings: [String] = []
        for member in registry.members {
            var expiry = "-"
            if let newest = member.newestCertificate {
                expiry = day(newest.notAfter)
                let days = Int(newest.notAfter.timeIntervalSince(now) / 86_400)
                if newest.notAfter < now {
                    expiry += " EXPIRED"
                    warnings.append("\(shown(member.id)): certificate expired on \(day(newest.notAfter))")
                } else if days < FederationCheck.expiryWarningDays && member.status == .active {
                    expiry += " (!\(days)d)"
                    warnings.append("\(shown(member.id)): certificate expires in \(days) days; renew it with `verbund federation renew`")
                }
            }
            var status = member.status.rawValue
            if let reason = member.statusReason, member.status != .active { status += " (\(reason))" }
            rows.append([member.id, member.name, status, member.roles.map(\.rawValue).joined(separator: ","),
                         member.ags?.digits ?? "-", member.endpoint, expiry].map(shown))
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            lines.append(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
        if !warnings.isEmpty {
            lines.append("")
            lines += warnings.map { "warning: \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    /// Text from a registry as the terminal may print it: control characters and terminal escapes made visible.
    static func shown(_ text: String) -> String { PrintableText.escaped(text) }

    static func day(_ date: Date) -> String { date.formatted(.iso8601.year().month().day()) }
}
