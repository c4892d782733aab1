import Dispatch
import Foundation
import Synchronization
import VerbundFederation

/// What one crawl round did.
public struct CrawlReport: Sendable, Codable, Hashable {
    /// Members crawled successfully, with the number of datasets they show us.
    public var crawled: [String: Int] = [:]
    /// Members that could not be reached or answered wrongly (retried next round; their cached datasets stay).
    public var failed: [String: String] = [:]
    /// Members dropped from the cache because they are no longer active members.
    public var dropped: [String] = []
}

/// Crawls the catalogs of all active providers into the `FederatedCatalog`, on its own thread every `interval`, and on
/// demand (`crawlNow`). Rounds never overlap. A member that is down is skipped and retried next round; members no
/// longer active are dropped from the cache.
final class CatalogCrawler: Sendable {
    let interval: Duration
    private let context: ConnectorContext
    private let federated: FederatedCatalog
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let stopping = Atomic<Bool>(false)
    private let running = Atomic<Bool>(false)
    /// Held for the duration of a round, so a manual crawl and the background thread take turns.
    private let round = Mutex<Int>(0)

    init(context: ConnectorContext, federated: FederatedCatalog, interval: Duration) {
        self.context = context
        self.federated = federated
        self.interval = interval
    }

    func start() {
        running.store(true, ordering: .releasing)
        let thread = Thread { [self] in
            while !stopping.load(ordering: .acquiring) {
                _ = crawlNow()
                _ = wake.wait(timeout: .now() + .nanoseconds(Int(interval.seconds * 1e9)))
            }
            finished.signal()
        }
        thread.name = "verbund-catalog-crawler"
        thread.start()
    }

    func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        stopping.store(true, ordering: .releasing)
        wake.signal()
        finished.wait()
    }

    /// One round now, on the calling thread (waits for a round in progress to end first).
    func crawlNow() -> CrawlReport {
        round.withLock { count in
            count += 1
            return crawlRound()
        }
    }

    private func crawlRound() -> CrawlReport {
        var report = CrawlReport()
        // Members without the provider role publish nothing, so they are not asked.
        let active = context.peers.peers.filter { $0.status == .active && $0.roles.contains(.provider) }
        // Same rule as `CatalogModule.registryChanged`.
        do {
            report.dropped = try federated.dropMembers(except: Set(active.map(\.id)))
            if !report.dropped.isEmpty {
                context.logger.notice("catalog.members.dropped", ["members": .array(report.dropped.map { .string($0) })])
            }
        } catch {
            context.logger.error("catalog.crawl.store-failed", ["error": .error(error)])
        }
        let fetcher = PeerCatalogFetcher(context: context)
        for member in active where !stopping.load(ordering: .acquiring) {
            do {
                let (datasets, pages) = try fetcher.fetch(memberId: member.id)
                try federated.replace(memberId: member.id, providerName: member.name, participantId: member.participantId,
                                      datasets: datasets, at: context.clock())
                report.crawled[member.id] = datasets.count
                context.logger.info("catalog.crawl.member", [
                    "member": .string(member.id), "datasets": .int(datasets.count), "pages": .int(pages),
                ])
            } catch {
                report.failed[member.id] = String(describing: error)
                try? federated.recordFailure(memberId: member.id, error: String(describing: error), at: context.clock())
                context.logger.warning("catalog.crawl.member-failed", ["member": .string(member.id), "error": .error(error)])
            }
        }
        context.metrics.increment(CatalogMetrics.crawlRounds)
        for (result, count) in [("ok", report.crawled.count), ("failed", report.failed.count)] where count > 0 {
            context.metrics.increment(CatalogMetrics.crawledMembers, labels: ["result": result], by: Double(count))
        }
        return report
    }
}
