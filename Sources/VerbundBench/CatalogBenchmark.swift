import Foundation
import VerbundConnector
import VerbundDataspace
import VerbundHTTP
import VerbundTransport

/// `verbund-bench catalog`: publishes N datasets straight into a provider's store, then a consumer connector pages
/// through the provider's DSP catalog over mTLS (`POST /catalog/request`, following `Link: rel="next"`) and crawls it
/// whole into its federated catalog (SQLite + FTS5) through `POST /api/catalog/crawl`, as `verbund catalog --crawl` does.
struct CatalogBenchmark {
    var datasets = 10_000
    var walks = 3
    var crawls = 5
    var markdownFile: String?

    init(arguments: ArraySlice<String>) throws {
        var rest = arguments
        while let option = rest.popFirst() {
            func value() throws -> String {
                guard let value = rest.popFirst() else { throw BenchError.usage("\(option) needs a value") }
                return value
            }
            func number(_ range: ClosedRange<Int>) throws -> Int {
                let text = try value()
                guard let number = Int(text), range.contains(number) else {
                    throw BenchError.usage("\(option) must be a number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
                }
                return number
            }
            switch option {
            case "--datasets": datasets = try number(1...1_000_000)
            case "--walks": walks = try number(2...100)
            case "--crawls": crawls = try number(1...100)
            case "--markdown": markdownFile = try value()
            default: throw BenchError.usage("unknown option '\(option)' for catalog")
            }
        }
    }

    func run() throws {
        let machine = MachineDescription.current(openSSL: "/usr/bin/openssl")
        // The consumer does not crawl on its own: the benchmark times the crawls it asks for.
        let federation = try BenchFederation(benchmark: "catalog", consumerIds: ["consumer"])
        defer { federation.stop() }
        try federation.start(provider: CatalogModule(crawls: false), consumer: { CatalogModule(crawls: false) })
        guard let provider = federation.provider, let consumer = federation.consumers.first else {
            throw BenchError.setup("the benchmark federation did not start its connectors")
        }
        progress("publishing \(datasets) datasets into the provider's store")
        let publishStart = ContinuousClock.now
        try publish(into: provider)
        let publishTime = ContinuousClock.now - publishStart

        progress("walking the catalog page by page (\(walks)×, 50 per page; the first walk fills the server's render cache)")
        var cold: (times: [Double], seconds: Double) = ([], 0)
        var warm: (times: [Double], seconds: Double) = ([], 0)
        for index in 0..<walks {
            let start = ContinuousClock.now
            let (times, seen) = try walk(consumer, limit: 50)
            guard seen == datasets else { throw BenchError.protocolViolation("a walk saw \(seen) datasets, expected \(datasets)") }
            let seconds = (ContinuousClock.now - start).secondsValue
            if index == 0 { cold = (times, seconds) } else { warm = (warm.times + times, warm.seconds + seconds) }
        }
        let bigStart = ContinuousClock.now
        let (bigPages, _) = try walk(consumer, limit: 500)
        let bigSeconds = (ContinuousClock.now - bigStart).secondsValue

        progress("crawling the whole catalog into the consumer's federated catalog (\(crawls)×)")
        var crawlTimes: [Double] = []
        for _ in 0..<crawls {
            let start = ContinuousClock.now
            let count = try crawl(consumer)
            crawlTimes.append((ContinuousClock.now - start).secondsValue * 1000)
            guard count == datasets else { throw BenchError.protocolViolation("a crawl saw \(count) datasets, expected \(datasets)") }
        }

        let table = """
            Command: `verbund-bench catalog --datasets \(datasets) --walks \(walks) --crawls \(crawls)`

            \(machine.markdown)
            Provider and consumer connectors run in this one process, mTLS (TLS 1.3, P-256) over loopback, one client thread.
            Publishing \(datasets) datasets into the store took \(Self.fixed(publishTime.secondsValue, 2)) s.

            | measurement | result |
            |---|---:|
            | pages/s, 50 datasets per page, cold (first walk, \(cold.times.count) pages) | \(Self.fixed(Double(cold.times.count) / cold.seconds, 0)) |
            | 50-item page p50 / p99, cold | \(Self.fixed(Self.quantile(cold.times, 0.5), 2)) / \(Self.fixed(Self.quantile(cold.times, 0.99), 2)) ms |
            | pages/s, 50 datasets per page, warm (\(warm.times.count) pages) | \(Self.fixed(Double(warm.times.count) / warm.seconds, 0)) |
            | 50-item page p50 / p99, warm | \(Self.fixed(Self.quantile(warm.times, 0.5), 2)) / \(Self.fixed(Self.quantile(warm.times, 0.99), 2)) ms |
            | whole catalog in pages of 500 (\(bigPages.count) pages) | \(Self.fixed(bigSeconds * 1000, 0)) ms |
            | full crawl into the federated catalog (pages of 50 + SQLite/FTS5) p50, \(datasets) datasets | \(Self.fixed(Self.quantile(crawlTimes, 0.5), 0)) ms |
            | full crawl p99 (\(crawls) runs) | \(Self.fixed(Self.quantile(crawlTimes, 0.99), 0)) ms |

            """
        FileHandle.standardOutput.write(Data(table.utf8))
        if let markdownFile { try Data(table.utf8).write(to: URL(fileURLWithPath: markdownFile)) }
    }

    private func publish(into connector: Connector) throws {
        let store = CatalogStore(database: connector.context.database)
        let now = Date()
        let publisher = DatasetRecord.Publisher(id: connector.context.identity.participantId, name: "Stadt provider")
        let keywords = ["Verkehr", "Umwelt", "Bildung", "Soziales", "Finanzen", "Bauen"]
        try connector.context.database.transaction { tx in
            for index in 0..<datasets {
                let offer = index % 3 == 0
                    ? Offer(id: "ds-\(index)#offer", permission: [Rule(action: "use", constraint: [.atomic("count", "lteq", .string("5"))])])
                    : Offer(id: "ds-\(index)#offer", permission: [Rule(action: "use")])
                let record = DatasetRecord(
                    id: "ds-\(index)", title: "Datensatz \(index)", description: "Benchmarkdaten Nummer \(index)",
                    keywords: [keywords[index % keywords.count]], license: "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
                    publisher: publisher, issued: now, modified: now, byteSize: 1024, mediaType: "text/csv",
                    checksumSHA256: String(repeating: "0", count: 64), offers: [offer])
                try store.insert(record, filePath: "/dev/null", at: now, in: tx)
            }
        }
    }

    /// Pages through the provider's catalog as the consumer; returns each page's time in ms and the datasets seen.
    private func walk(_ consumer: Connector, limit: Int) throws -> (times: [Double], seen: Int) {
        let client = consumer.context.peerClient
        let body = Array(try DSPJSON.encode(CatalogRequestMessage()))
        var times: [Double] = []
        var seen = 0
        var next: String?
        repeat {
            let start = ContinuousClock.now
            let response = try next.map { try client.send(toURL: $0, method: .post, body: body, maxBodyBytes: 64 << 20) }
                ?? client.send(toMember: "provider", method: .post, path: "/catalog/request?limit=\(limit)", body: body,
                               maxBodyBytes: 64 << 20)
            guard response.status.code == 200 else { throw BenchError.protocolViolation("a page answered \(response.status.code)") }
            // Counted by scanning the bytes: this measures the provider's paging, not the consumer's JSON decoding.
            seen += Self.occurrences(of: Self.datasetType, in: response.body)
            times.append((ContinuousClock.now - start).secondsValue * 1000)
            next = Self.nextLink(response.headers["Link"])
        } while next != nil
        return (times, seen)
    }

    private func crawl(_ consumer: Connector) throws -> Int {
        var headers = HTTPHeaders()
        headers.set("Authorization", "Bearer \(consumer.managementToken.value)")
        let client = HTTPClient(configuration: HTTPClientConfiguration(connectTimeout: .seconds(5), exchangeDeadline: .seconds(900),
                                                                       responseHeadTimeout: .seconds(600)))
        let response = try client.send(HTTPClientRequest(method: .post, host: "127.0.0.1", port: consumer.managementPort,
                                                         target: "/api/catalog/crawl", headers: headers))
        guard response.status.code == 200 else {
            throw BenchError.protocolViolation("the crawl answered \(response.status.code): \(String(decoding: response.body, as: UTF8.self))")
        }
        let report = try ManagementJSON.decoder().decode(CrawlReport.self, from: Data(response.body))
        if let failure = report.failed["provider"] { throw BenchError.protocolViolation("the crawl failed: \(failure)") }
        return report.crawled["provider"] ?? 0
    }

    static let datasetType = Array("\"@type\":\"Dataset\"".utf8)

    static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> Int {
        guard let first = needle.first, haystack.count >= needle.count else { return 0 }
        var count = 0
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) {
                count += 1
                index += needle.count
            } else {
                index += 1
            }
        }
        return count
    }

    static func nextLink(_ header: String?) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ",") where part.contains("rel=\"next\"") {
            if let open = part.firstIndex(of: "<"), let close = part.firstIndex(of: ">") {
                return String(part[part.index(after: open)..<close])
            }
        }
        return nil
    }

    /// Nearest-rank quantile.
    static func quantile(_ values: [Double], _ q: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : "n/a"
    }

    private func progress(_ text: String) {
        FileHandle.standardError.write(Data("verbund-bench catalog: \(text)\n".utf8))
    }
}

extension Duration {
    var secondsValue: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
