import Foundation

/// The Markdown report: parameters, machine, one table row per server, and any failures.
struct ResultTable {
    let command: String
    let machine: MachineDescription
    let seconds: Int
    let connections: Int
    let fileMiB: Int
    let bulkRuns: Int
    let rows: [ServerMeasurement]

    var markdown: String {
        var lines: [String] = []
        lines.append("Command: `\(command)`")
        lines.append("")
        lines.append(machine.markdown)
        lines.append("Handshakes: \(connections) client threads for \(seconds) s, each connect → full TLS 1.3 handshake with "
            + "client certificate (P-256, no resumption) → GET of a \(BenchMaterial.smallContent.count)-byte file → close. "
            + "Bulk: one connection, GET of a \(fileMiB) MiB file, best (median) of \(bulkRuns) runs, alternating between the servers.")
        lines.append("")
        lines.append("| server | handshakes/s | p50 ms | p99 ms | failed | server CPU | server CPU ms per handshake | bulk MiB/s best (median) | peak RSS during bulk | RssAnon after bulk | peak RSS whole run |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for row in rows {
            let handshakes = row.handshakes
            lines.append("| \(row.name) | \(Self.fixed(handshakes.perSecond, 0)) | "
                + "\(Self.fixed(handshakes.latencyMilliseconds(quantile: 0.5), 2)) | "
                + "\(Self.fixed(handshakes.latencyMilliseconds(quantile: 0.99), 2)) | \(handshakes.failed) | "
                + "\(Self.fixed(row.handshakeServerLoad * 100, 0)) % | \(Self.fixed(row.serverMillisecondsPerHandshake, 2)) | "
                + "\(Self.fixed(row.bestBulkRate, 0)) (\(Self.fixed(row.medianBulkRate, 0))) | "
                + "\(row.bulkPeakKiB.map(Self.mebibytes) ?? "n/a") | \(Self.mebibytes(row.anonymousKiB)) | "
                + "\(Self.mebibytes(row.lifetimePeakKiB)) |")
        }
        let failures = rows.compactMap { row in row.handshakes.firstFailure.map { "- \(row.name): first failure: \($0)" } }
        if !failures.isEmpty {
            lines.append("")
            lines += failures
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func mebibytes(_ kibibytes: Int) -> String {
        fixed(Double(kibibytes) / 1024, 1) + " MiB"
    }

    private static func fixed(_ value: Double, _ digits: Int) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : "n/a"
    }
}
