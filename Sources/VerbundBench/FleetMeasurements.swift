import Foundation
import VerbundConnector
import VerbundDataspace
import VerbundHTTP
import VerbundStore
import VerbundTransport

/// The federation benchmark's measurements on a started `MemberFleet`, each bounded in time.
struct FleetMeasurements {
    let fleet: MemberFleet

    // MARK: Idle

    /// Waits until the daemons together use less than `quietCores` of CPU over one second (the start-up crawl of the
    /// empty catalogs is over), at most `timeout`. Returns the seconds waited and whether it got quiet.
    func settle(quietCores: Double, timeout: Duration) -> (seconds: Double, quiet: Bool) {
        let began = ContinuousClock.now
        var last = totalCPU()
        while ContinuousClock.now - began < timeout {
            Thread.sleep(forTimeInterval: 1)
            let now = totalCPU()
            defer { last = now }
            if now - last < quietCores { return ((ContinuousClock.now - began).secondsValue, true) }
        }
        return ((ContinuousClock.now - began).secondsValue, false)
    }

    /// CPU seconds used by all daemons so far.
    func totalCPU() -> Double {
        fleet.pids.reduce(0) { $0 + ((try? ProcessCPUTime(pid: $1.pid).seconds) ?? 0) }
    }

    /// One daemon's resident memory (KiB) and what it holds open.
    struct Footprint {
        var rss: Int, hwm: Int, anonymous: Int, pss: Int
        var threads: Int, descriptors: Int
    }

    /// VmRSS, VmHWM, RssAnon and Pss (the process's fair share of pages it shares with others, from smaps_rollup),
    /// threads and open file descriptors of every daemon.
    func footprints() throws -> [Footprint] {
        try fleet.pids.map { entry in
            let memory = try ProcessMemory(pid: entry.pid)
            let status = (try? String(contentsOfFile: "/proc/\(entry.pid)/status", encoding: .utf8)) ?? ""
            let threads = Self.field("Threads:", in: status) ?? 0
            let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(entry.pid)/fd").count) ?? 0
            let rollup = (try? String(contentsOfFile: "/proc/\(entry.pid)/smaps_rollup", encoding: .utf8)) ?? ""
            return Footprint(rss: memory.currentKiB, hwm: memory.peakKiB, anonymous: memory.anonymousKiB,
                             pss: Self.field("Pss:", in: rollup) ?? 0, threads: threads, descriptors: descriptors)
        }
    }

    /// The number after `name` on its line of a /proc file.
    private static func field(_ name: String, in text: String) -> Int? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return nil }
        return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Int($0) }
    }

    // MARK: Registry spread

    /// What a spread measurement saw: per member the seconds until it held the serial (nil: not within the timeout).
    struct Spread {
        var seconds: [Double?]
        var reached: Int { seconds.compactMap { $0 }.count }
        var all: Double? { reached == seconds.count ? seconds.compactMap { $0 }.max() : nil }
        var median: Double? { FleetMeasurements.quantile(seconds.compactMap { $0 }, 0.5) }
    }

    /// Polls `/healthz` of `members` (round after round, at most every 20 ms) until each holds `serial` or
    /// `timeout` passed since `since`.
    func waitForSerial(_ serial: UInt64, members: [MemberFleet.Member], since: ContinuousClock.Instant,
                       timeout: Duration) -> Spread {
        var seconds = [Double?](repeating: nil, count: members.count)
        while seconds.contains(where: { $0 == nil }), ContinuousClock.now - since < timeout {
            let round = ContinuousClock.now
            for (index, member) in members.enumerated() where seconds[index] == nil {
                if let held = try? fleet.health(member), held >= serial {
                    seconds[index] = (ContinuousClock.now - since).secondsValue
                }
            }
            let spent = ContinuousClock.now - round
            if spent < .milliseconds(20) { Thread.sleep(forTimeInterval: (Duration.milliseconds(20) - spent).secondsValue) }
        }
        return Spread(seconds: seconds)
    }

    /// (a) File polling: the admin revokes `spare` and writes the new registry and CRL into every member's federation
    /// folder; timed from before the first copy until each member holds the new serial.
    func revocationByPolling(_ spare: String, timeout: Duration) throws -> Spread {
        let serial = try fleet.revoke(spare)
        let began = ContinuousClock.now
        for member in fleet.members { try fleet.publish(to: member) }
        return waitForSerial(serial, members: fleet.members, since: began, timeout: timeout)
    }

    /// (b) Gossip carried by one crawl: the admin revokes `spare` and gives the files to the first member only; once
    /// it holds them, it crawls every other member (as its crawler does each round), and each request announces its
    /// serial in `Verbund-Registry-Serial`, so each crawled member fetches the registry and CRL from it. Timed from the
    /// start of the crawl until every other member holds the new serial.
    func revocationByCrawlGossip(_ spare: String, timeout: Duration) throws -> Spread {
        let serial = try fleet.revoke(spare)
        let seed = fleet.members[0]
        try fleet.publish(to: seed)
        let local = waitForSerial(serial, members: [seed], since: .now, timeout: .seconds(60))
        guard local.all != nil else { throw BenchError.server("\(seed.id) did not take the new registry from its files within 60 s") }
        let began = ContinuousClock.now
        let client = fleet.client
        let crawl = Thread {
            var headers = HTTPHeaders()
            headers.set("Authorization", "Bearer \(seed.token)")
            _ = try? client.send(HTTPClientRequest(method: .post, host: "127.0.0.1", port: seed.managementPort, target: "/api/catalog/crawl",
                                                   headers: headers), maxBodyBytes: 16 << 20, deadline: timeout)
        }
        crawl.start()
        return waitForSerial(serial, members: Array(fleet.members.dropFirst()), since: began, timeout: timeout)
    }

    // MARK: Catalog

    /// Writes `count` datasets straight into each member's store (its SQLite file, WAL mode: a second process may
    /// write while the daemon runs; the daemon's catalog reads see them at their next query). Returns the seconds.
    func publish(datasets count: Int) throws -> Double {
        let began = ContinuousClock.now
        let now = Date()
        let keywords = ["Verkehr", "Umwelt", "Bildung", "Soziales", "Finanzen", "Bauen"]
        for member in fleet.members {
            let database = try Database(path: member.dataDirectory + "/" + Connector.databaseFileName)
            defer { database.close() }
            let store = CatalogStore(database: database)
            let publisher = DatasetRecord.Publisher(id: "urn:verbund:bench:\(member.id)", name: "Stadt \(member.id)")
            try database.transaction { tx in
                for index in 0..<count {
                    let record = DatasetRecord(
                        id: "ds-\(index)", title: "Datensatz \(index) von \(member.id)", description: "Benchmarkdaten Nummer \(index)",
                        keywords: [keywords[index % keywords.count]], license: "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
                        publisher: publisher, issued: now, modified: now, byteSize: 1024, mediaType: "text/csv",
                        checksumSHA256: String(repeating: "0", count: 64),
                        offers: [Offer(id: "ds-\(index)#offer", permission: [Rule(action: "use")])])
                    _ = try store.insert(record, filePath: "/dev/null", at: now, in: tx)
                }
            }
        }
        return (ContinuousClock.now - began).secondsValue
    }

    /// The first member crawls every other member's whole catalog into its federated catalog
    /// (`POST /api/catalog/crawl`); checks that each answered `datasets`. Returns the seconds.
    func crawl(expecting datasets: Int, timeout: Duration) throws -> Double {
        let seed = fleet.members[0]
        let client = HTTPClient(configuration: HTTPClientConfiguration(connectTimeout: .seconds(5), exchangeDeadline: timeout,
                                                                       responseHeadTimeout: timeout))
        var headers = HTTPHeaders()
        headers.set("Authorization", "Bearer \(seed.token)")
        let began = ContinuousClock.now
        let response = try client.send(HTTPClientRequest(method: .post, host: "127.0.0.1", port: seed.managementPort,
                                                         target: "/api/catalog/crawl", headers: headers), maxBodyBytes: 16 << 20)
        let seconds = (ContinuousClock.now - began).secondsValue
        guard response.status.code == 200 else {
            throw BenchError.protocolViolation("the crawl answered \(response.status.code): \(String(decoding: response.body.prefix(500), as: UTF8.self))")
        }
        let report = try ManagementJSON.decoder().decode(CrawlReport.self, from: Data(response.body))
        if let failure = report.failed.sorted(by: { $0.key < $1.key }).first {
            throw BenchError.protocolViolation("the crawl of \(failure.key) failed: \(failure.value)")
        }
        for member in fleet.members.dropFirst() where report.crawled[member.id] != datasets {
            throw BenchError.protocolViolation("the crawl saw \(report.crawled[member.id] ?? 0) datasets of \(member.id), expected \(datasets)")
        }
        return seconds
    }

    /// Nearest-rank quantile; nil for no values.
    static func quantile(_ values: [Double], _ q: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
