import Foundation
import Synchronization
import VerbundFederation

/// Runs the registry/CRL fetches from peers that `FederationFetchSchedule` decides on, each on a thread of its own and
/// under `PeerMaterialFetch`'s total deadline and size cap, and hands what they got to `deliver` (the federation sync,
/// which offers it to the trust on its own thread). Nothing here ever blocks the sync's polling of files and URL.
final class PeerFetches: Sendable {
    typealias Outcome = Result<[UInt8], PeerMaterialFetch.Failure>

    static let rateLimitedMetric = "verbund_federation_announcements_rate_limited_total"
    static let fetchesMetric = "verbund_federation_peer_fetches_total"

    private let context: ConnectorContext
    private let fetcher: PeerMaterialFetch
    private var deadline: Duration { fetcher.bounds.deadline }
    private let schedule: Mutex<FederationFetchSchedule>
    private let deliver: @Sendable (FederationFetchSchedule.Fetch, Outcome) -> Void
    /// After `stop()` nothing new starts (fetches running end at their deadline and are dropped).
    private let stopped = Atomic<Bool>(false)

    init(context: ConnectorContext, settings: FederationFetchSettings,
         deliver: @escaping @Sendable (FederationFetchSchedule.Fetch, Outcome) -> Void) {
        self.context = context
        self.fetcher = PeerMaterialFetch(context: context, bounds: settings.bounds)
        self.schedule = Mutex(FederationFetchSchedule(limits: settings.limits))
        self.deliver = deliver
        context.metrics.counter(Self.rateLimitedMetric, help: "Times a member's registry/CRL announcements were deferred by its rate limit.")
        context.metrics.counter(Self.fetchesMetric, help: "Registry and CRL fetches from peers, by material and result.")
    }

    private var held: FederationFetchSchedule.Held {
        let trust = context.trust
        return .init(registrySerial: trust.registry.serial, crlNumber: trust.crl.number ?? 0)
    }

    func stop() { stopped.store(true, ordering: .relaxed) }

    /// A peer announced numbers (called on connection threads: returns at once).
    func report(_ member: Member, _ announcement: FederationHeaders.Announcement) {
        let held = self.held
        let now = ContinuousClock.now
        let actions = schedule.withLock { schedule -> [FederationFetchSchedule.Action] in
            var actions: [FederationFetchSchedule.Action] = []
            if let number = announcement.crlNumber {
                actions += schedule.announced(member: member.id, .crl, number, held: held, now: now)
            }
            if let serial = announcement.registrySerial {
                actions += schedule.announced(member: member.id, .registry, serial, held: held, now: now)
            }
            return actions
        }
        perform(actions)
    }

    /// Starts what waited for a token or a slot.
    func tick() {
        let held = self.held
        perform(schedule.withLock { $0.tick(held: held, now: .now) })
    }

    private func perform(_ actions: [FederationFetchSchedule.Action]) {
        for action in actions where !stopped.load(ordering: .relaxed) {
            switch action {
            case let .start(fetch):
                context.logger.info("federation.\(fetch.material.rawValue).fetching", [
                    "member": .string(fetch.member), "announced": .uint(fetch.number),
                    "held": .uint(fetch.material == .registry ? held.registrySerial : held.crlNumber),
                ])
                let thread = Thread { [self] in run(fetch) }
                thread.name = "verbund.federation-fetch"
                thread.start()
            case let .rateLimited(member):
                context.metrics.increment(Self.rateLimitedMetric, labels: ["member": member])
                context.logger.warning("federation.announcements.rate-limited", [
                    "member": .string(member),
                    "advice": "the member announces newer registries or CRLs faster than it may be asked; later ones wait",
                ])
            }
        }
    }

    private func run(_ fetch: FederationFetchSchedule.Fetch) {
        let outcome = fetcher.run(fetch)
        let result: String
        switch outcome {
        case .success: result = "fetched"
        case let .failure(failure):
            result = "failed"
            context.logger.warning("federation.\(fetch.material.rawValue).fetch-failed", [
                "member": .string(fetch.member), "announced": .uint(fetch.number), "error": .string(failure.description),
                "deadlineSeconds": .double(deadline.seconds),
            ])
        }
        context.metrics.increment(Self.fetchesMetric, labels: ["what": fetch.material.rawValue, "result": result])
        if !stopped.load(ordering: .relaxed) { deliver(fetch, outcome) }
        let held = self.held
        perform(schedule.withLock { $0.finished(fetch, held: held, now: .now) })
    }
}
