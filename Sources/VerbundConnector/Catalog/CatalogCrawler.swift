import Foundation
import Synchronization
import VerbundFederation

/// The crawler was stopped in the middle of a member's catalog.
struct CrawlInterrupted: Error, CustomStringConvertible {
    var description: String { "the crawler was stopped" }
}

/// What one crawl round did.
package struct CrawlReport: Sendable, Codable, Hashable {
    /// Members crawled successfully, with the number of datasets they show us.
    package var crawled: [String: Int] = [:]
    /// Members that could not be reached or answered wrongly (retried next round; their cached datasets stay).
    package var failed: [String: String] = [:]
    /// Members dropped from the cache because they are no longer active members.
    package var dropped: [String] = []
}

/// Crawls the catalogs of all active providers into the `FederatedCatalog`, on its own `WorkerThread` every
/// `interval`, and on demand (`crawlNow`). Rounds never overlap. A member that is down is skipped and retried next
/// round; members no longer active are dropped from the cache. Each member's crawl reads one page at a time into the
/// store within `bounds`; a member passing one is stopped with one `catalog.crawl.bounds-exceeded` log line and the
/// `verbund_catalog_crawl_bounds_exceeded_total` metric. Stopped, it can be started again.
final class CatalogCrawler: Sendable {
    let interval: Duration
    let bounds: CrawlBounds
    private let context: ConnectorContext
    private let federated: FederatedCatalog
    private let thread = WorkerThread(name: "verbund.catalog-crawler")
    /// Held for the duration of a round, so a manual crawl and the background thread take turns.
    private let round = Mutex<Int>(0)

    init(context: ConnectorContext, federated: FederatedCatalog, interval: Duration, bounds: CrawlBounds = .standard) {
        self.context = context
        self.federated = federated
        self.interval = interval
        self.bounds = bounds
    }

    /// The crawler thread's lifecycle state.
    var state: ThreadLifecycle.State { thread.state }

    /// Rounds run so far (background and manual).
    var rounds: Int { round.withLock { $0 } }

    /// Starts crawling every `interval`; does nothing while it runs already.
    func start() {
        thread.start { [self] in
            while !thread.isStopping {
                _ = crawlNow()
                thread.pause(interval)
            }
        }
    }

    /// Cuts the background thread's wait short: the next round starts now (e.g. a member was admitted).
    func crawlSoon() {
        thread.wake()
    }

    /// Ends the background crawling after the member being crawled; returns when the thread has ended.
    func stop() {
        thread.stop()
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
        let fetcher = PeerCatalogFetcher(context: context, bounds: bounds)
        for member in active where !thread.isStopping {
            do {
                try federated.beginStaging(memberId: member.id)
                let (_, pages) = try fetcher.fetch(memberId: member.id) { page in
                    // A stop does not wait for the rest of a long catalog: the member is crawled again next time.
                    if thread.isStopping { throw CrawlInterrupted() }
                    try federated.stage(memberId: member.id, participantId: member.participantId, datasets: page)
                }
                let datasets = try federated.commitStaged(memberId: member.id, providerName: member.name, at: context.clock())
                report.crawled[member.id] = datasets
                context.logger.info("catalog.crawl.member", [
                    "member": .string(member.id), "datasets": .int(datasets), "pages": .int(pages),
                ])
            } catch {
                try? federated.discardStaged(memberId: member.id)
                if thread.isStopping { break }
                report.failed[member.id] = String(describing: error)
                try? federated.recordFailure(memberId: member.id, error: String(describing: error), at: context.clock())
                if let bound = (error as? PeerCatalogError)?.bound {
                    context.metrics.increment(CatalogMetrics.boundsExceeded, labels: ["bound": bound.rawValue])
                    context.logger.warning("catalog.crawl.bounds-exceeded", [
                        "member": .string(member.id), "bound": .string(bound.rawValue), "error": .error(error),
                    ])
                } else {
                    context.logger.warning("catalog.crawl.member-failed", ["member": .string(member.id), "error": .error(error)])
                }
            }
        }
        context.metrics.increment(CatalogMetrics.crawlRounds)
        for (result, count) in [("ok", report.crawled.count), ("failed", report.failed.count)] where count > 0 {
            context.metrics.increment(CatalogMetrics.crawledMembers, labels: ["result": result], by: Double(count))
        }
        return report
    }
}
