import Foundation

/// One federation size's figures (`verbund-bench federation`); nil where a step did not run or did not finish.
struct FederationRow {
    var members: Int
    var datasets: Int
    var startSeconds: Double = .nan
    var settleSeconds: Double = .nan
    var rssMedianKiB = 0, rssMaxKiB = 0, hwmMedianKiB = 0, hwmMaxKiB = 0, anonymousMedianKiB = 0, pssTotalKiB = 0
    var threadsMedian = 0, descriptorsMedian = 0, descriptorsMax = 0
    var idleCPUPercent: Double = .nan
    var polling: FleetMeasurements.Spread?
    var crawlGossip: FleetMeasurements.Spread?
    var publishSeconds: Double = .nan
    var crawlSeconds: Double = .nan
    var negotiations: FleetNegotiations.Outcome?
    var failure: String?

    /// The CSV columns, in order (the plot script reads them by name).
    static let csvHeader = [
        "members", "datasets_per_member", "start_s", "rss_median_mib", "rss_max_mib", "hwm_median_mib", "hwm_max_mib",
        "anon_median_mib", "pss_total_mib", "threads_median", "fds_median", "fds_max", "idle_cpu_percent", "poll_median_s", "poll_all_s", "crawl_gossip_all_s",
        "traffic_gossip_all_s", "traffic_gossip_reached", "publish_s", "crawl_s", "crawled_datasets", "negotiations_per_s",
        "negotiation_p50_ms", "negotiation_p99_ms", "negotiations_failed",
    ].joined(separator: ",")

    var csvLine: String {
        let mib = { (kib: Int) in Self.fixed(Double(kib) / 1024, 1) }
        let negotiation = negotiations
        return [
            String(members), String(datasets), Self.fixed(startSeconds, 1), mib(rssMedianKiB), mib(rssMaxKiB), mib(hwmMedianKiB),
            mib(hwmMaxKiB), mib(anonymousMedianKiB), mib(pssTotalKiB), String(threadsMedian), String(descriptorsMedian),
            String(descriptorsMax), Self.fixed(idleCPUPercent, 1),
            Self.fixed(polling?.median, 2), Self.fixed(polling?.all, 2), Self.fixed(crawlGossip?.all, 2),
            Self.fixed(negotiation?.gossip.all, 2), negotiation.map { "\($0.gossip.reached)/\($0.gossip.seconds.count)" } ?? "",
            Self.fixed(publishSeconds, 1), Self.fixed(crawlSeconds, 1), String((members - 1) * datasets),
            Self.fixed(negotiation?.perSecond, 1), Self.fixed(negotiation.flatMap { FleetMeasurements.quantile($0.latencies, 0.5) }, 0),
            Self.fixed(negotiation.flatMap { FleetMeasurements.quantile($0.latencies, 0.99) }, 0),
            negotiation.map { String($0.failed) } ?? "",
        ].joined(separator: ",")
    }

    static func fixed(_ value: Double?, _ digits: Int) -> String {
        guard let value, value.isFinite else { return "" }
        return String(format: "%.\(digits)f", value)
    }
}

/// The Markdown report: the command, the machine, one column per federation size.
struct FederationReport {
    let command: String
    let machine: MachineDescription
    let pollSeconds: Double
    let negotiationSeconds: Double
    let workers: Int
    let rows: [FederationRow]

    var markdown: String {
        var lines = ["Command: `\(command)`", "", machine.markdown,
                     "Every member is a `verbund serve` child process (release build) with its own key, certificate, "
                         + "SQLite store and loopback ports; federation files polled every \(Self.trim(pollSeconds)) s; "
                         + "negotiations by \(workers) client threads for \(Self.trim(negotiationSeconds)) s.", ""]
        lines.append("| measurement | " + rows.map { "\($0.members) members" }.joined(separator: " | ") + " |")
        lines.append("|---|" + rows.map { _ in "---:|" }.joined())
        func line(_ name: String, _ value: (FederationRow) -> String) {
            lines.append("| \(name) | " + rows.map { $0.failure != nil && value($0).isEmpty ? "—" : value($0) }.joined(separator: " | ") + " |")
        }
        let mib = { (kib: Int) in kib == 0 ? "" : FederationRow.fixed(Double(kib) / 1024, 1) + " MiB" }
        let seconds = { (value: Double?) in FederationRow.fixed(value, 2).isEmpty ? "" : FederationRow.fixed(value, 2) + " s" }
        line("start of all members until each answers /healthz") { seconds($0.startSeconds) }
        line("RSS per member, idle: median / max") { mib($0.rssMedianKiB).isEmpty ? "" : "\(mib($0.rssMedianKiB)) / \(mib($0.rssMaxKiB))" }
        line("peak RSS (VmHWM) per member: median / max") { mib($0.hwmMedianKiB).isEmpty ? "" : "\(mib($0.hwmMedianKiB)) / \(mib($0.hwmMaxKiB))" }
        line("anonymous memory (RssAnon) per member, median") { mib($0.anonymousMedianKiB) }
        line("all members together (sum of PSS)") { mib($0.pssTotalKiB) }
        line("threads / open file descriptors per member, median (max fds)") { row in
            row.threadsMedian == 0 ? "" : "\(row.threadsMedian) / \(row.descriptorsMedian) (\(row.descriptorsMax))"
        }
        line("CPU of all members together, idle") { FederationRow.fixed($0.idleCPUPercent, 1).isEmpty ? "" : FederationRow.fixed($0.idleCPUPercent, 1) + " % of a core" }
        line("revocation by file polling: median member / every member") { row in
            guard let spread = row.polling else { return "" }
            return spread.all == nil ? "\(spread.reached)/\(spread.seconds.count) in time"
                : "\(seconds(spread.median)) / \(seconds(spread.all))"
        }
        line("revocation by gossip, carried by one crawl: every other member") { row in
            guard let spread = row.crawlGossip else { return "" }
            return spread.all == nil ? "\(spread.reached)/\(spread.seconds.count) in time" : seconds(spread.all)
        }
        line("revocation by gossip over random-pair negotiations: every other member") { row in
            guard let spread = row.negotiations?.gossip else { return "" }
            return spread.all.map { seconds($0) } ?? "\(spread.reached)/\(spread.seconds.count) within the run"
        }
        line("datasets written into the stores (all members)") { row in
            row.publishSeconds.isFinite ? "\(row.members * row.datasets) in \(seconds(row.publishSeconds))" : ""
        }
        line("one member crawls all others") { row in
            row.crawlSeconds.isFinite ? "\((row.members - 1) * row.datasets) datasets in \(seconds(row.crawlSeconds))" : ""
        }
        line("negotiations to FINALIZED, random pairs") { row in
            guard let outcome = row.negotiations else { return "" }
            return FederationRow.fixed(outcome.perSecond, 1) + "/s"
        }
        line("latency of one negotiation p50 / p99") { row in
            guard let outcome = row.negotiations, let p50 = FleetMeasurements.quantile(outcome.latencies, 0.5),
                  let p99 = FleetMeasurements.quantile(outcome.latencies, 0.99) else { return "" }
            return String(format: "%.0f / %.0f ms", p50, p99)
        }
        line("failed negotiations") { row in row.negotiations.map { String($0.failed) } ?? "" }
        let notes = rows.compactMap { row -> String? in
            var parts: [String] = []
            if let failure = row.failure { parts.append("stopped: \(failure)") }
            if let first = row.negotiations?.firstFailure { parts.append("first failed negotiation: \(first)") }
            return parts.isEmpty ? nil : "- \(row.members) members: " + parts.joined(separator: "; ")
        }
        if !notes.isEmpty { lines += [""] + notes }
        return lines.joined(separator: "\n") + "\n"
    }

    var csv: String {
        ([FederationRow.csvHeader] + rows.map(\.csvLine)).joined(separator: "\n") + "\n"
    }

    private static func trim(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
