import Foundation
import Synchronization
import VerbundDataspace
import VerbundFederation
import VerbundStore
import VerbundTransport

/// The catalog: the datasets this member publishes (management API and `verbund datasets …`), the DSP catalog
/// protocol for peers (each sees only the offers it is eligible for), and the federated catalog crawled from all
/// active members into SQLite with FTS5 search (`verbund catalog …`). Published files are served from snapshots and
/// refreshed by hand or on a schedule (`DatasetRefresh`, `DatasetRefresher`).
package struct CatalogModule: ConnectorModule {
    package static let defaultCrawlInterval: Duration = .seconds(300)

    package let name = "catalog"
    package let migrationVersions = 10...19
    /// How often the crawler reads the other members' catalogs.
    package let crawlInterval: Duration
    /// Whether `start` runs the crawler thread (benchmarks and some tests serve only).
    package let crawls: Bool
    /// How much one member may make a crawl read (pages, datasets, bytes, time).
    package let crawlBounds: CrawlBounds
    private let running = CrawlerSlot()

    package init(crawlInterval: Duration = CatalogModule.defaultCrawlInterval, crawls: Bool = true,
                crawlBounds: CrawlBounds = .standard) {
        self.crawlInterval = crawlInterval
        self.crawls = crawls
        self.crawlBounds = crawlBounds
    }

    package var migrations: [Migration] { CatalogSchema.migrations }

    package func registerDSPRoutes(into router: inout DSPRoutes, context: ConnectorContext) {
        CatalogMetrics.declare(in: context.metrics)
        let cache = CatalogRenderCache()
        let store = CatalogStore(database: context.database, cache: cache)
        context.metrics.sampledGauge(CatalogMetrics.published, help: "Datasets this member publishes.") {
            guard let count = try? store.count() else { return [] }
            return [(labels: [:], value: Double(count))]
        }
        context.metrics.sampledGauge(CatalogMetrics.refreshFailing, help: "Datasets whose last refresh failed.") {
            let failing = try? context.database.read { tx in
                try tx.queryFirst("SELECT count(*) AS n FROM catalog_dataset WHERE refresh_error IS NOT NULL")?.int("n") ?? 0
            }
            return failing.map { [(labels: [:], value: Double($0))] } ?? []
        }
        CatalogDSPRoutes(store: store, context: context, cache: cache).register(into: &router)
    }

    package func registerManagementRoutes(into router: inout Router, context: ConnectorContext) {
        let running = self.running
        CatalogManagementRoutes(store: CatalogStore(database: context.database),
                                federated: FederatedCatalog(database: context.database), context: context,
                                crawler: { running.crawler.withLock { $0 } }, snapshots: running.snapshots(for: context),
                                refresher: { running.refresher.withLock { $0 } })
            .register(into: &router)
    }

    /// The DCAT-AP.de harvest endpoint (`CatalogHarvestRoutes`) and the downloads of open data (`OpenDataRoutes`).
    package func registerPublicRoutes(into router: inout Router, context: ConnectorContext) {
        CatalogHarvestRoutes(context: context).register(into: &router)
        OpenDataRoutes(context: context).register(into: &router)
    }

    /// The most datasets the transparency page lists.
    static let transparencyLimit = 10_000

    /// The datasets listed publicly, with their terms in plain words.
    package func contributeTransparency(to report: inout TransparencyReport, context: ConnectorContext,
                                        in transaction: Transaction) throws {
        let store = CatalogStore(database: context.database)
        for dataset in try store.listed(limit: Self.transparencyLimit, in: transaction) {
            let record = dataset.record
            report.datasets.append(TransparencyReport.Dataset(
                id: record.id, title: record.title, description: record.description, themes: record.themes,
                license: record.license, accessRights: record.metadata?.accessRights,
                terms: record.offers.map { PolicyDescription.describe($0) }, published: record.issued))
        }
    }

    package func start(context: ConnectorContext) throws {
        let crawler = CatalogCrawler(context: context, federated: FederatedCatalog(database: context.database),
                                     interval: crawlInterval, bounds: crawlBounds)
        running.crawler.withLock { $0 = crawler }
        if crawls { crawler.start() }
        // Datasets published before snapshots existed get theirs; then snapshots nothing uses are removed.
        let snapshots = running.snapshots(for: context)
        let refresh = DatasetRefresh(context: context, snapshots: snapshots)
        refresh.adopt()
        refresh.collectGarbage()
        let refresher = DatasetRefresher(context: context, snapshots: snapshots)
        running.refresher.withLock { $0 = refresher }
        refresher.start()
    }

    /// Members that are no longer active providers leave the federated catalog as soon as the registry says so,
    /// not only at the next crawl round.
    package func registryChanged(from old: MemberRegistry, to new: MemberRegistry, context: ConnectorContext) {
        let keep = Self.activeProviders(new)
        do {
            let dropped = try FederatedCatalog(database: context.database).dropMembers(except: keep)
            if !dropped.isEmpty {
                context.logger.notice("catalog.members.dropped", ["members": .array(dropped.map { .string($0) })])
            }
        } catch {
            context.logger.error("catalog.members.drop-failed", ["error": .error(error)])
        }
        // A member admitted or reinstated is crawled now, not at the next interval: a city that just joined should
        // be findable at once.
        let arrived = keep.subtracting(Self.activeProviders(old)).subtracting([context.identity.memberId])
        if !arrived.isEmpty, crawls, let crawler = running.crawler.withLock({ $0 }) {
            context.logger.info("catalog.members.arrived", ["members": .array(arrived.sorted().map { .string($0) })])
            crawler.crawlSoon()
        }
    }

    static func activeProviders(_ registry: MemberRegistry) -> Set<String> {
        Set(registry.members.filter { $0.status == .active && $0.roles.contains(.provider) }.map(\.id))
    }

    package func stop() {
        let crawler = running.crawler.withLock { crawler -> CatalogCrawler? in
            defer { crawler = nil }
            return crawler
        }
        crawler?.stop()
        running.refresher.withLock { refresher -> DatasetRefresher? in
            defer { refresher = nil }
            return refresher
        }?.stop()
    }
}

/// The crawler of a started module (a class, so the module value can be copied and still share it).
final class CrawlerSlot: Sendable {
    let crawler = Mutex<CatalogCrawler?>(nil)
    let refresher = Mutex<DatasetRefresher?>(nil)
    private let store = Mutex<SnapshotStore?>(nil)

    /// One snapshot store per module, so publishing, refreshing and collecting take turns (`SnapshotStore.exclusively`).
    func snapshots(for context: ConnectorContext) -> SnapshotStore {
        store.withLock { store in
            if let store { return store }
            let made = SnapshotStore(dataDirectory: context.configuration.dataDirectory)
            store = made
            return made
        }
    }
}
