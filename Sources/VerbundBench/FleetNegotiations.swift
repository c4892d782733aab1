import Foundation
import Synchronization
import VerbundConnector
import VerbundHTTP
import VerbundTransport

/// Negotiations across random pairs of a `MemberFleet`: `workers` threads, each in a loop picks a consumer and a
/// provider at random, starts a negotiation for one of the provider's datasets on the consumer's management API
/// (`POST /api/negotiations`, as `verbund negotiate` does) and polls `GET /api/negotiations/:id` until FINALIZED.
/// While they run, the admin's next registry is given to one member only, and its spread over the negotiation
/// traffic (every DSP request and response carries `Verbund-Registry-Serial`) is timed: gossip between random pairs.
struct FleetNegotiations {
    struct Outcome {
        var finalized = 0
        var failed = 0
        var firstFailure: String?
        var latencies: [Double] = []
        var seconds: Double
        var gossip: FleetMeasurements.Spread
        var perSecond: Double { Double(latencies.count) / seconds }
    }

    let fleet: MemberFleet
    let datasets: Int
    let workers: Int
    let seconds: Double

    func run(revoking spare: String, warmup: Double = 2) throws -> Outcome {
        let members = fleet.members
        let client = fleet.client
        let datasets = self.datasets
        let latencies = Mutex<[Double]>([])
        let failures = Mutex<(count: Int, first: String?)>((0, nil))
        let measureFrom = ContinuousClock.now + .milliseconds(Int64(warmup * 1000))
        let end = measureFrom + .milliseconds(Int64(seconds * 1000))
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                while ContinuousClock.now < end {
                    let started = ContinuousClock.now
                    do {
                        try Self.negotiate(members: members, client: client, datasets: datasets, until: end + .seconds(60))
                        let finished = ContinuousClock.now
                        if started >= measureFrom, finished <= end {
                            latencies.withLock { $0.append((finished - started).secondsValue * 1000) }
                        }
                    } catch {
                        let stop = failures.withLock { state -> Bool in
                            state.count += 1
                            if state.first == nil { state.first = String(describing: error) }
                            return state.count >= 100
                        }
                        if stop { return }
                        Thread.sleep(forTimeInterval: 0.1)
                    }
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        // Gossip over this traffic: the new registry goes to the last member's files only. (Not the first: it seeded
        // the crawl gossip moments ago, so the others' fetch budgets for its announcements — 3 at once, one more every
        // 20 s — are spent; a real federation's registries are not minutes apart.)
        let measurements = FleetMeasurements(fleet: fleet)
        let untilWindow = measureFrom - .now
        if untilWindow > .zero { Thread.sleep(forTimeInterval: untilWindow.secondsValue) }
        let serial = try fleet.revoke(spare)
        let seed = members[members.count - 1]
        try fleet.publish(to: seed)
        let local = measurements.waitForSerial(serial, members: [seed], since: .now, timeout: .seconds(60))
        let began = ContinuousClock.now
        let gossip = local.all == nil
            ? FleetMeasurements.Spread(seconds: [Double?](repeating: nil, count: members.count - 1))
            : measurements.waitForSerial(serial, members: Array(members.dropLast()), since: began,
                                         timeout: max(end - began, .seconds(1)))
        group.wait()
        let failed = failures.withLock { $0 }
        let samples = latencies.withLock { $0 }
        return Outcome(finalized: samples.count, failed: failed.count, firstFailure: failed.first, latencies: samples,
                       seconds: seconds, gossip: gossip)
    }

    /// One negotiation between a random pair, to FINALIZED (anything else throws).
    private static func negotiate(members: [MemberFleet.Member], client: HTTPClient, datasets: Int,
                                  until deadline: ContinuousClock.Instant) throws {
        let consumer = members.randomElement()!
        var provider = members.randomElement()!
        while provider.id == consumer.id { provider = members.randomElement()! }
        let request = NegotiationStartRequest(peer: provider.id, dataset: "ds-\(Int.random(in: 0..<datasets))", purpose: "benchmark")
        var headers = HTTPHeaders()
        headers.set("Authorization", "Bearer \(consumer.token)")
        headers.set("Content-Type", "application/json")
        let started = try client.send(HTTPClientRequest(method: .post, host: "127.0.0.1", port: consumer.managementPort,
                                                        target: "/api/negotiations", headers: headers,
                                                        body: Array(try JSONEncoder().encode(request))), deadline: .seconds(30))
        guard started.status.code == 201 else {
            throw BenchError.protocolViolation("\(consumer.id) → \(provider.id): POST /api/negotiations answered \(started.status.code): "
                + String(decoding: started.body.prefix(300), as: UTF8.self))
        }
        let id = try ManagementJSON.decoder().decode(NegotiationReport.self, from: Data(started.body)).id
        headers.remove("Content-Type")
        while ContinuousClock.now < deadline {
            let response = try client.send(HTTPClientRequest(host: "127.0.0.1", port: consumer.managementPort,
                                                             target: "/api/negotiations/\(id)", headers: headers), deadline: .seconds(30))
            guard response.status.code == 200 else {
                throw BenchError.protocolViolation("GET /api/negotiations/\(id) on \(consumer.id) answered \(response.status.code)")
            }
            let report = try ManagementJSON.decoder().decode(NegotiationReport.self, from: Data(response.body))
            switch report.state {
            case "FINALIZED": return
            case "TERMINATED":
                throw BenchError.protocolViolation("\(consumer.id) → \(provider.id): TERMINATED: \(report.reason ?? "no reason")")
            default: Thread.sleep(forTimeInterval: 0.02)
            }
        }
        throw BenchError.protocolViolation("\(consumer.id) → \(provider.id): negotiation \(id) not FINALIZED in time")
    }
}
