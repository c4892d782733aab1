import Foundation
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundFederation
import VerbundHTTP
@testable import VerbundConnector

/// A peer cannot make the crawler read, hold or store without bound: pages are capped, a crawl of one member is
/// bounded in pages, datasets, bytes and time, pages go into the store one at a time, and a member that passes a
/// bound is stopped with one log line and a metric.
@Suite("Crawl bounds", .offCooperativePool)
struct CrawlBoundsTests {
    @Test("the budget admits pages until a bound is passed, and says which")
    func budgetAsAValue() {
        var budget = CrawlBudget(bounds: CrawlBounds(maxPageBytes: 100, maxPages: 3, maxDatasets: 10, maxBytes: 250))
        #expect(budget.nextPageLimit == 100)
        #expect(budget.read(pageBytes: 100, pageDatasets: 4) == nil)
        #expect(budget.read(pageBytes: 100, pageDatasets: 4) == nil)
        // Only 50 bytes of the crawl's total are left for the next page.
        #expect(budget.nextPageLimit == 50)
        #expect(budget.read(pageBytes: 50, pageDatasets: 3) == .datasets)

        var pages = CrawlBudget(bounds: CrawlBounds(maxPageBytes: 100, maxPages: 2, maxDatasets: 10, maxBytes: 1_000))
        _ = pages.read(pageBytes: 1, pageDatasets: 1)
        _ = pages.read(pageBytes: 1, pageDatasets: 1)
        #expect(pages.nextPageLimit == nil)
        #expect(pages.exhausted == .pages)

        var bytes = CrawlBudget(bounds: CrawlBounds(maxPageBytes: 100, maxPages: 9, maxDatasets: 10, maxBytes: 100))
        #expect(bytes.read(pageBytes: 100, pageDatasets: 1) == nil)
        #expect(bytes.nextPageLimit == nil)
        #expect(bytes.exhausted == .bytes)
        #expect(bytes.limit(of: .bytes) == 100)
    }

    @Test("a member serving an endless chain of next pages is stopped at the crawl's byte bound; others are crawled")
    func endlessNextPages() throws {
        let fixture = try FederationFixture(members: ["c", "h", "n"])
        // 256 KiB pages, 400 of them (100 MiB) if followed to the end.
        let hostile = HostileCatalogPeer(pageBytes: 256 << 10, pages: 400)
        let h = try fixture.start("h", modules: [hostile])
        defer { h.stop() }
        let n = try fixture.start("n", modules: [CatalogModule(crawls: false)])
        defer { n.stop() }
        try CatalogHarness.insert(n, [CatalogHarness.record("n-1", title: "Radwege")])
        let bounds = CrawlBounds(maxPageBytes: 1 << 20, maxBytes: 4 << 20)
        let c = try fixture.start("c", modules: [CatalogModule(crawls: false, crawlBounds: bounds)])
        defer { c.stop() }

        let report = try CatalogHarness.management(c, .post, "/api/catalog/crawl")
        #expect(report.status == 200)
        #expect(report.body["crawled"]?["n"]?.integerValue == 1)
        let failure = report.body["failed"]?["h"]?.stringValue ?? ""
        #expect(failure.contains("crawl bound 'bytes'"))
        // It read no more than the bound allows (plus the page that passed it).
        #expect(hostile.served.pages.load(ordering: .relaxed) <= 17)
        // One clear log line and a metric; nothing of h's catalog was kept.
        let lines = c.log.events("catalog.crawl.bounds-exceeded")
        #expect(lines.count == 1)
        #expect(lines.first?["member"] as? String == "h")
        #expect(lines.first?["bound"] as? String == "bytes")
        let metrics = String(decoding: try c.management("/metrics").body, as: UTF8.self)
        #expect(metrics.contains("verbund_catalog_crawl_bounds_exceeded_total{bound=\"bytes\"} 1"))
        #expect(try CatalogHarness.management(c, .get, "/api/catalog/federated?member=h").body["datasets"]?.arrayValue?.isEmpty == true)
        let staged = try c.context.database.read { tx in try tx.queryFirst("SELECT count(*) AS n FROM catalog_remote_staging")?.int("n") }
        #expect(staged == 0)
    }

    @Test("a 15 MiB catalog page is refused at the page bound")
    func hugePage() throws {
        let fixture = try FederationFixture(members: ["c", "h"])
        let hostile = HostileCatalogPeer(pageBytes: 15 << 20, pages: 3)
        let h = try fixture.start("h", modules: [hostile])
        defer { h.stop() }
        let c = try fixture.start("c", modules: [CatalogModule(crawls: false)])
        defer { c.stop() }
        let report = try CatalogHarness.management(c, .post, "/api/catalog/crawl")
        #expect((report.body["failed"]?["h"]?.stringValue ?? "").contains("crawl bound 'page-bytes'"))
        #expect(c.log.events("catalog.crawl.bounds-exceeded").first?["bound"] as? String == "page-bytes")
        #expect(hostile.served.pages.load(ordering: .relaxed) == 1)
    }

    @Test("a member that holds its catalog page back is given up on at the page deadline")
    func slowPage() throws {
        let fixture = try FederationFixture(members: ["c", "h"])
        let hostile = HostileCatalogPeer(pageBytes: 1 << 10, pages: 1, delay: .seconds(4))
        let h = try fixture.start("h", modules: [hostile])
        defer { h.stop() }
        let c = try fixture.start("c", modules: [CatalogModule(crawls: false, crawlBounds: CrawlBounds(pageDeadline: .seconds(1)))])
        defer { c.stop() }
        let began = ContinuousClock.now
        let report = try CatalogHarness.management(c, .post, "/api/catalog/crawl")
        #expect(ContinuousClock.now - began < .seconds(3))
        #expect((report.body["failed"]?["h"]?.stringValue ?? "").contains("total deadline"))
    }

    @Test("a stopped crawler can be started again")
    func restartAfterStop() throws {
        let fixture = try FederationFixture(members: ["c", "n"])
        let n = try fixture.start("n", modules: [CatalogModule(crawls: false)])
        defer { n.stop() }
        let c = try fixture.start("c", modules: [CatalogModule(crawls: false)])
        defer { c.stop() }
        let crawler = CatalogCrawler(context: c.context, federated: FederatedCatalog(database: c.context.database),
                                     interval: .seconds(60))
        crawler.start()
        #expect(c.log.waitFor("catalog.crawl.member", timeout: 10) != nil)
        crawler.stop()
        #expect(crawler.state == .stopped)
        let before = crawler.rounds
        crawler.start()
        #expect(c.log.waitFor("catalog.crawl.member", timeout: 10) { _ in crawler.rounds > before } != nil)
        crawler.stop()
        #expect(crawler.rounds > before)
        #expect(crawler.state == .stopped)
    }
}
