import Foundation

/// `verbund-bench federation`: for each federation size N, starts N member daemons as child processes (`MemberFleet`)
/// and measures memory per member, how fast a revocation reaches every member (file polling, and gossip two ways), a
/// full crawl of everyone's catalog by one member, and negotiations across random pairs (docs/performance.md).
struct FederationBenchmark {
    static let usage = """
        usage: verbund-bench federation [--members N[,N…]] [--datasets D] [--seconds S] [--workers W]
                                        [--poll-seconds P] [--markdown FILE] [--csv FILE] [--verbund PATH]

          federation  N member daemons (`verbund serve`, default sizes 10,50,100) on loopback with real certificates:
                      memory per member, time until a revocation is enforced by every member (file polling every P s,
                      default 5; gossip carried by one crawl; gossip over random-pair negotiations), one member's crawl
                      of all others when each publishes D datasets (default 1000), and negotiations/s over W client
                      threads (default 16) for S seconds (default 20). --verbund defaults to the `verbund` next to
                      this executable.
        """

    var sizes: [Int] = [10, 50, 100]
    var datasets = 1000
    var seconds = 20
    var workers = 16
    var pollSeconds = 5.0
    var markdownFile: String?
    var csvFile: String?
    var executable: String
    let command: String

    init(arguments: ArraySlice<String>) throws {
        let reader = try ArgumentReader(arguments, valued: ["members", "datasets", "seconds", "workers", "poll-seconds", "markdown",
                                                            "csv", "verbund"], flags: [])
        if let text = reader.string("members") {
            let parsed = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !parsed.isEmpty, parsed.allSatisfy({ ($0 ?? 0) >= 2 && ($0 ?? 0) <= 1000 }) else {
                throw BenchError.usage("--members takes sizes from 2 to 1000, separated by commas, got '\(text)'")
            }
            sizes = parsed.compactMap { $0 }
        }
        datasets = try reader.integer("datasets", default: datasets, in: 1...100_000)
        seconds = try reader.integer("seconds", default: seconds, in: 1...3600)
        workers = try reader.integer("workers", default: workers, in: 1...256)
        if let text = reader.string("poll-seconds") {
            guard let value = Double(text), value >= 0.01, value <= 3600 else {
                throw BenchError.usage("--poll-seconds must be a number of seconds from 0.01 to 3600, got '\(text)'")
            }
            pollSeconds = value
        }
        markdownFile = reader.string("markdown")
        csvFile = reader.string("csv")
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        executable = reader.string("verbund") ?? ((own as NSString).deletingLastPathComponent + "/verbund")
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw BenchError.setup("no verbund executable at \(executable): build it (swift build -c release --product verbund) or pass --verbund")
        }
        command = "verbund-bench federation --members \(sizes.map(String.init).joined(separator: ",")) --datasets \(datasets) "
            + "--seconds \(seconds) --workers \(workers) --poll-seconds \(pollSeconds == pollSeconds.rounded() ? String(Int(pollSeconds)) : String(pollSeconds))"
    }

    func run() throws {
        let machine = MachineDescription.current(openSSL: "/usr/bin/openssl")
        var rows: [FederationRow] = []
        for size in sizes {
            var row = FederationRow(members: size, datasets: datasets)
            do {
                try measure(size, into: &row)
            } catch {
                row.failure = String(describing: error)
                progress("\(size) members: \(error)")
            }
            rows.append(row)
            // Written after every size, so a later size that fails or is interrupted leaves the earlier ones.
            let report = FederationReport(command: command, machine: machine, pollSeconds: pollSeconds,
                                          negotiationSeconds: Double(seconds), workers: workers, rows: rows)
            if let markdownFile { try Data(report.markdown.utf8).write(to: URL(fileURLWithPath: markdownFile)) }
            if let csvFile { try Data(report.csv.utf8).write(to: URL(fileURLWithPath: csvFile)) }
            if size == sizes.last { FileHandle.standardOutput.write(Data(report.markdown.utf8)) }
        }
        if rows.contains(where: { $0.failure != nil }) {
            throw BenchError.server("at least one federation size failed; see the notes under the table")
        }
    }

    private func measure(_ size: Int, into row: inout FederationRow) throws {
        progress("\(size) members: enrolling and admitting (real keys, CSRs and certificates)")
        let fleet = try MemberFleet(count: size, pollSeconds: pollSeconds)
        defer {
            progress("\(size) members: stopping the daemons")
            fleet.stop()
        }
        progress("\(size) members: starting the daemons")
        row.startSeconds = try fleet.start(executable: executable, timeout: .seconds(60 + 2 * Int64(size)))
        let measurements = FleetMeasurements(fleet: fleet)
        let settled = measurements.settle(quietCores: 0.05 + 0.005 * Double(size), timeout: .seconds(300))
        row.settleSeconds = settled.seconds
        progress("\(size) members: all healthy after \(FederationRow.fixed(row.startSeconds, 1)) s, quiet after "
            + "\(FederationRow.fixed(settled.seconds, 1)) s more\(settled.quiet ? "" : " (not quiet: measuring anyway)")")
        let cpuBefore = measurements.totalCPU()
        Thread.sleep(forTimeInterval: 5)
        row.idleCPUPercent = (measurements.totalCPU() - cpuBefore) / 5 * 100
        let footprints = try measurements.footprints()
        func median(_ values: [Int]) -> Int { values.sorted()[values.count / 2] }
        row.rssMedianKiB = median(footprints.map(\.rss))
        row.rssMaxKiB = footprints.map(\.rss).max() ?? 0
        row.hwmMedianKiB = median(footprints.map(\.hwm))
        row.hwmMaxKiB = footprints.map(\.hwm).max() ?? 0
        row.anonymousMedianKiB = median(footprints.map(\.anonymous))
        row.threadsMedian = median(footprints.map(\.threads))
        row.descriptorsMedian = median(footprints.map(\.descriptors))
        row.descriptorsMax = footprints.map(\.descriptors).max() ?? 0
        row.pssTotalKiB = footprints.map(\.pss).reduce(0, +)

        let spreadTimeout = Duration.seconds(max(60, Int64(pollSeconds * 4) + Int64(size)))
        progress("\(size) members: revocation published into every member's files")
        row.polling = try measurements.revocationByPolling(fleet.spares[0], timeout: spreadTimeout)
        progress("\(size) members: revocation given to one member, spread by its crawl")
        row.crawlGossip = try measurements.revocationByCrawlGossip(fleet.spares[1], timeout: spreadTimeout)

        progress("\(size) members: writing \(datasets) datasets into each member's store")
        row.publishSeconds = try measurements.publish(datasets: datasets)
        progress("\(size) members: \(fleet.members[0].id) crawls all \(size - 1) others")
        row.crawlSeconds = try measurements.crawl(expecting: datasets, timeout: .seconds(1800))

        progress("\(size) members: negotiations across random pairs for \(seconds) s (and a registry gossiped over them)")
        row.negotiations = try FleetNegotiations(fleet: fleet, datasets: datasets, workers: workers, seconds: Double(seconds))
            .run(revoking: fleet.spares[2])
        for daemon in fleet.daemons where !daemon.isRunning {
            throw BenchError.server("member \(daemon.memberId) exited during the run; its log: \(daemon.logTail())")
        }
    }

    private func progress(_ text: String) {
        FileHandle.standardError.write(Data("verbund-bench federation: \(text)\n".utf8))
    }
}
