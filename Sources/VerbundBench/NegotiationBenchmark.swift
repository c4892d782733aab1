import Foundation
import Synchronization
import VerbundConnector
import VerbundDataspace
import VerbundFederation
import VerbundHTTP
import VerbundTransport

/// `verbund-bench negotiation`: contract negotiations to FINALIZED per second and the latency of one negotiation,
/// with `--consumers` concurrent negotiation loops spread over `--connectors` consumer connectors, all negotiating with
/// one provider. Everything runs in this process on loopback with real certificates, mTLS, SQLite (WAL, synchronous
/// FULL), the outbox and both signatures; each negotiation is started through the consumer's management API (as the
/// CLI does) and counts as done when the provider's FINALIZED event reaches the consumer.
enum NegotiationBenchmark {
    struct Options {
        var consumers = 32
        var connectors = 4
        var seconds = 10.0
        var warmup = 1.0
    }

    static let usage = """
        usage: verbund-bench negotiation [--consumers N] [--connectors K] [--seconds S]
          N concurrent negotiation loops (default 32) over K consumer connectors (default 4), for S seconds (default 10),
          against one provider; prints negotiations/s and p50/p90/p99 latency of one negotiation.
        """

    static func main(_ arguments: [String]) -> Int32 {
        var options = Options()
        var index = 0
        func next() -> String? {
            index += 1
            return index < arguments.count ? arguments[index] : nil
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--consumers": options.consumers = next().flatMap(Int.init) ?? -1
            case "--connectors": options.connectors = next().flatMap(Int.init) ?? -1
            case "--seconds": options.seconds = next().flatMap(Double.init) ?? -1
            case "--help", "-h":
                print(usage)
                return 0
            default:
                FileHandle.standardError.write(Data("verbund-bench negotiation: unknown option \(arguments[index])\n\(usage)\n".utf8))
                return 2
            }
            index += 1
        }
        guard options.consumers > 0, options.connectors > 0, options.seconds > 0 else {
            FileHandle.standardError.write(Data("verbund-bench negotiation: counts and seconds must be positive\n\(usage)\n".utf8))
            return 2
        }
        do {
            try run(options)
            return 0
        } catch {
            FileHandle.standardError.write(Data("verbund-bench negotiation: \(error)\n".utf8))
            return 1
        }
    }

    /// Signals the worker waiting for a negotiation when the FINALIZED event reaches its consumer.
    final class Completions: Sendable {
        private let waiting = Mutex<[String: DispatchSemaphore]>([:])
        private let finished = Mutex<Set<String>>([])

        func expect(_ consumerPid: String) -> DispatchSemaphore {
            let semaphore = DispatchSemaphore(value: 0)
            let done = finished.withLock { $0.remove(consumerPid) != nil }
            if done { semaphore.signal() } else { waiting.withLock { $0[consumerPid] = semaphore } }
            return semaphore
        }

        func finish(_ consumerPid: String) {
            if let semaphore = waiting.withLock({ $0.removeValue(forKey: consumerPid) }) {
                semaphore.signal()
            } else {
                finished.withLock { _ = $0.insert(consumerPid) }
            }
        }

        var tap: NegotiationWireTap {
            NegotiationWireTap { [self] direction, body in
                guard direction == .received, let message = try? DSPMessage.decode(from: Data(body)) else { return }
                switch message {
                case let .contractNegotiationEvent(event) where event.eventType == .finalized: finish(event.consumerPid)
                case let .contractNegotiationTermination(termination): finish(termination.consumerPid)
                default: break
                }
            }
        }
    }

    static func run(_ options: Options) throws {
        let federation = try BenchFederation(consumers: options.connectors)
        defer { federation.stop() }
        let completions = Completions()
        let dataset = "urn:dataset:bench"
        let offer = Offer(id: "urn:uuid:bench-offer", permission: [Rule(action: "use", constraint: [
            .atomic("dateTime", "lt", .string("2099-01-01T00:00:00Z")),
        ])])
        try federation.start(provider: NegotiationModule(offers: RegisteredOffers([PublishedOffer(dataset: dataset, offer: offer)])),
                             consumer: { NegotiationModule(offers: RegisteredOffers(), datasets: FixedDataset(dataset: dataset, offer: offer),
                                                           tap: completions.tap) })
        let body = Array(try JSONEncoder().encode(NegotiationStartRequest(peer: "provider", dataset: dataset, purpose: "benchmark")))

        let latencies = Mutex<[Double]>([])
        let failures = Mutex<[String]>([])
        let began = Date()
        let measureFrom = began.addingTimeInterval(options.warmup)
        let end = measureFrom.addingTimeInterval(options.seconds)
        let cpuAtStart = Self.cpuSeconds()
        let group = DispatchGroup()
        for worker in 0..<options.consumers {
            let connector = federation.consumers[worker % federation.consumers.count]
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                let client = HTTPClient()
                var headers = HTTPHeaders()
                headers.set("Authorization", "Bearer \(connector.managementToken.value)")
                headers.set("Content-Type", "application/json")
                while Date() < end {
                    let started = Date()
                    do {
                        let response = try client.send(HTTPClientRequest(method: .post, host: "127.0.0.1", port: connector.managementPort,
                                                                         target: "/api/negotiations", headers: headers, body: body))
                        guard response.status.code == 201 else { throw BenchFailure("POST answered \(response.status.code)") }
                        let report = try ManagementJSON.decoder().decode(NegotiationReport.self, from: Data(response.body))
                        guard completions.expect(report.id).wait(timeout: .now() + 30) == .success else {
                            throw BenchFailure("negotiation \(report.id) did not finish within 30 s")
                        }
                        if started >= measureFrom, Date() <= end {
                            latencies.withLock { $0.append(Date().timeIntervalSince(started)) }
                        }
                    } catch {
                        failures.withLock { $0.append(String(describing: error)) }
                        return
                    }
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        let cpu = Self.cpuSeconds() - cpuAtStart
        let failed = failures.withLock { $0 }
        guard failed.isEmpty else { throw BenchFailure("\(failed.count) workers failed, first: \(failed[0])") }

        // Every negotiation must have ended FINALIZED on both sides with a dual-signed contract.
        let contracts = NegotiationContracts()
        let providerContracts = try federation.provider!.context.database.read { tx in try contracts.contracts(in: tx) }
        let dual = providerContracts.filter { ($0.contractJWS.flatMap { try? GeneralJWSCount.count($0) } ?? 0) == 2 }.count
        let samples = latencies.withLock { $0 }.sorted()
        guard !samples.isEmpty else { throw BenchFailure("no negotiation finished in the measured window") }
        func percentile(_ p: Double) -> Double { samples[min(samples.count - 1, Int((Double(samples.count) * p).rounded(.down)))] * 1000 }
        let rate = Double(samples.count) / options.seconds
        print("""
            negotiation benchmark: \(options.consumers) concurrent consumers over \(options.connectors) consumer connectors, 1 provider, \
            \(ProcessInfo.processInfo.activeProcessorCount) cores, \(Int(options.seconds)) s measured after \(options.warmup) s warm-up
              negotiations to FINALIZED   \(samples.count) (\(String(format: "%.1f", rate))/s)
              latency of one negotiation  p50 \(String(format: "%.2f", percentile(0.50))) ms, p90 \(String(format: "%.2f", percentile(0.90))) ms, \
            p99 \(String(format: "%.2f", percentile(0.99))) ms, max \(String(format: "%.2f", samples.last! * 1000)) ms
              provider contracts          \(providerContracts.count) finalized, \(dual) dual-signed
              CPU of this process         \(String(format: "%.1f", cpu * 1000 / Double(max(providerContracts.count, 1)))) ms per negotiation (both sides, \
            all \(providerContracts.count) incl. warm-up), \(String(format: "%.0f", cpu / Date().timeIntervalSince(began) * 100)) % of one core
            """)
    }

    /// User and system CPU time of this process so far (getrusage).
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    struct BenchFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// The provider's offer as the consumers' dataset source (no catalog module needed).
    struct FixedDataset: DatasetSource {
        let dataset: String
        let offer: Offer

        func dataset(_ id: String, of peer: String, context: ConnectorContext) throws -> Dataset {
            Dataset(id: dataset, hasPolicy: [offer], distribution: [Distribution(format: "HttpData-PULL", accessService: .reference("urn:uuid:bench"))])
        }
    }

    enum GeneralJWSCount {
        static func count(_ json: String) throws -> Int {
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            return (object?["signatures"] as? [Any])?.count ?? 0
        }
    }
}
