import Foundation
import Testing
import VerbundTestSupport
import VerbundConnector
import VerbundDataspace
import VerbundFederation
import VerbundHTTP

/// The federated catalog: a crawler reading every active member's catalog into SQLite with FTS5 search.
@Suite("Catalog crawl", .offCooperativePool)
struct CatalogCrawlTests {
    @Test("the crawler reads three connectors' catalogs, searches them, skips a member that is down and drops a suspended one")
    func crawlAcrossThree() throws {
        let fixture = try FederationFixture(members: ["a", "b", "c"])
        let a = try fixture.start("a", modules: [CatalogModule(crawls: false)])
        defer { a.stop() }
        let b = try fixture.start("b", modules: [CatalogModule(crawls: false)])
        defer { b.stop() }
        // c crawls in the background every 200 ms.
        let c = try fixture.start("c", modules: [CatalogModule(crawlInterval: .milliseconds(200))])
        defer { c.stop() }
        try CatalogHarness.insert(a, (1...60).map { CatalogHarness.record("a-\($0)", title: "Messstelle \($0)", keywords: ["Umwelt"]) }
            + [CatalogHarness.record("a-parken", title: "Parkhäuser", keywords: ["Verkehr"])])
        try CatalogHarness.insert(b, [CatalogHarness.record("b-kita", title: "Kitaplätze", keywords: ["Bildung"])])

        // The background round picks both up (a's catalog spans two pages of 50).
        let deadline = Date().addingTimeInterval(20)
        var listing = JSONValue.null
        repeat {
            listing = try CatalogHarness.management(c, .get, "/api/catalog/federated").body
            if listing["datasets"]?.arrayValue?.count == 62 { break }
            Thread.sleep(forTimeInterval: 0.1)
        } while Date() < deadline
        #expect(listing["datasets"]?.arrayValue?.count == 62)

        let report = try CatalogHarness.management(c, .post, "/api/catalog/crawl")
        #expect(report.status == 200)
        #expect(report.body["crawled"]?["a"]?.integerValue == 61)
        #expect(report.body["crawled"]?["b"]?.integerValue == 1)

        let parking = try CatalogHarness.management(c, .get, "/api/catalog/federated?search=park").body["datasets"]?.arrayValue ?? []
        #expect(parking.map { $0["id"]?.stringValue } == ["a-parken"])
        #expect(parking.first?["provider"]?.stringValue == "a")
        #expect(parking.first?["offers"]?.arrayValue?.first?["terms"]?.stringValue == "use")
        let byProvider = try CatalogHarness.management(c, .get, "/api/catalog/federated?search=Stadt%20b").body["datasets"]?.arrayValue ?? []
        #expect(byProvider.map { $0["id"]?.stringValue } == ["b-kita"])
        #expect(try CatalogHarness.management(c, .get, "/api/catalog/federated?search=Wetter").body["datasets"]?.arrayValue?.isEmpty == true)
        #expect(try CatalogHarness.management(c, .get, "/api/catalog/federated?limit=0").status == 400)

        // A live fetch of one peer follows its pages too, and passes a search on as a DSP filter.
        let live = try CatalogHarness.management(c, .get, "/api/catalog/peers/a")
        #expect(live.body["datasets"]?.arrayValue?.count == 61)
        let liveSearch = try CatalogHarness.management(c, .get, "/api/catalog/peers/a?search=parkh")
        #expect(liveSearch.body["datasets"]?.arrayValue?.map { $0["id"]?.stringValue } == ["a-parken"])
        #expect(try CatalogHarness.management(c, .get, "/api/catalog/peers/zzz").status == 404)

        // a goes down: skipped, its cached datasets stay, the problem is reported.
        a.stop()
        let down = try CatalogHarness.management(c, .post, "/api/catalog/crawl").body
        #expect(down["failed"]?["a"] != nil)
        #expect(down["crawled"]?["b"]?.integerValue == 1)
        let afterDown = try CatalogHarness.management(c, .get, "/api/catalog/federated").body
        #expect(afterDown["datasets"]?.arrayValue?.count == 62)
        #expect(afterDown["problems"]?["a"] != nil)
        #expect(try CatalogHarness.management(c, .get, "/api/catalog/peers/a").status == 502)

        // b is suspended: as soon as c holds that registry, b leaves the cache, without waiting for a crawl.
        _ = try fixture.admin().suspend(memberId: "b", reason: "test")
        try fixture.publish(to: ["c"])
        let registryDeadline = Date().addingTimeInterval(10)
        var providers: Set<String> = []
        repeat {
            Thread.sleep(forTimeInterval: 0.05)
            let listed = try CatalogHarness.management(c, .get, "/api/catalog/federated").body["datasets"]?.arrayValue ?? []
            providers = Set(listed.compactMap { $0["provider"]?.stringValue })
        } while providers.contains("b") && Date() < registryDeadline
        #expect(c.context.trust.registry.member(id: "b")?.status == .suspended)
        #expect(providers == ["a"])
        #expect(!c.log.events("catalog.members.dropped").isEmpty)
        let round = try CatalogHarness.management(c, .post, "/api/catalog/crawl").body
        #expect(round["crawled"]?["b"] == nil && round["failed"]?["b"] == nil)
        let states = try CatalogHarness.management(c, .get, "/api/catalog/crawl").body.arrayValue ?? []
        #expect(!states.contains { $0["member"]?.stringValue == "b" })
        #expect(states.contains { $0["member"]?.stringValue == "a" })
        let remaining = try CatalogHarness.management(c, .get, "/api/catalog/federated").body["datasets"]?.arrayValue ?? []
        #expect(remaining.count == 61)
        #expect(remaining.allSatisfy { $0["provider"]?.stringValue == "a" })
    }

    @Test("a member that becomes active is crawled at once, not at the next interval")
    func arrivingMemberIsCrawledAtOnce() throws {
        let fixture = try FederationFixture(members: ["a", "c"])
        let a = try fixture.start("a", modules: [CatalogModule(crawls: false)])
        defer { a.stop() }
        try CatalogHarness.insert(a, [CatalogHarness.record("a-kita", title: "Kitaplätze", keywords: ["Bildung"])])
        _ = try fixture.admin().suspend(memberId: "a", reason: "test")
        try fixture.publish(to: ["c"])
        // c crawls once at start (a is suspended then) and would wait an hour for the next round.
        let c = try fixture.start("c", modules: [CatalogModule(crawlInterval: .seconds(3600))])
        defer { c.stop() }
        #expect(try CatalogHarness.management(c, .get, "/api/catalog/federated").body["datasets"]?.arrayValue?.isEmpty == true)

        _ = try fixture.admin().reinstate(memberId: "a", reason: "test over")
        try fixture.publish(to: ["c"])
        let deadline = Date().addingTimeInterval(10)
        var count = 0
        repeat {
            Thread.sleep(forTimeInterval: 0.05)
            count = try CatalogHarness.management(c, .get, "/api/catalog/federated").body["datasets"]?.arrayValue?.count ?? 0
        } while count == 0 && Date() < deadline
        #expect(count == 1)
        #expect(!c.log.events("catalog.members.arrived").isEmpty)
    }
}
