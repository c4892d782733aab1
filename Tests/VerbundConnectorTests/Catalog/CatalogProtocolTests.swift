import Foundation
import Testing
import VerbundTestSupport
import VerbundConnector
import VerbundDataspace
import VerbundHTTP
import VerbundTransport

/// The DSP catalog protocol at the provider's routes, called in process through the DSP guard as the admitted member
/// (`RouteHarness`): pages, filters, errors and eligibility, with every message checked against the official 2025-1
/// schemas. The same requests over mTLS between running connectors are in `CatalogCrawlTests`.
@Suite("Catalog protocol", .offCooperativePool)
struct CatalogProtocolTests {
    static let region = "https://w3id.org/verbund/odrl/region"
    static let member = "https://w3id.org/verbund/odrl/member"

    /// `POST /dsp/catalog/request` from member `peer`, optionally to a page URL from a Link header.
    static func catalogRequest(_ provider: RouteHarness, as peer: String, filter: [JSONValue] = [], url: String? = nil,
                               query: String = "") throws -> RouteAnswer {
        try provider.dsp(.post, url ?? "/dsp/catalog/request" + query,
                         body: Array(try DSPJSON.encode(CatalogRequestMessage(filter: filter))), as: peer)
    }

    static func datasetIDs(_ answer: RouteAnswer) throws -> [String] {
        try answer.decode(Catalog.self).dataset.map(\.id)
    }

    @Test("pages follow Link next and previous; every dataset is seen exactly once; bodies validate")
    func paging() throws {
        let fixture = try FederationFixture(members: ["a", "b"])
        let provider = try RouteHarness(fixture, member: "a", modules: [CatalogModule(crawls: false)])
        let ids = (1...120).map { String(format: "ds-%03d", $0) }
        try CatalogHarness.insert(provider.context, ids.map { CatalogHarness.record($0, title: "Datensatz \($0)") })

        var seen: [String] = []
        var bodies: [[UInt8]] = [Array(try DSPJSON.encode(CatalogRequestMessage()))]
        var response = try Self.catalogRequest(provider, as: "b", query: "?limit=50")
        var pages: [RouteAnswer] = []
        while true {
            #expect(response.code == 200)
            pages.append(response)
            bodies.append(response.body)
            seen += try Self.datasetIDs(response)
            guard let next = LinkHeaderProbe.target(response.headers["Link"], "next") else { break }
            #expect(next.hasPrefix(fixture.members["a"]!.endpoint + "/catalog/request?"))
            response = try Self.catalogRequest(provider, as: "b", url: next)
        }
        #expect(pages.count == 3)
        #expect(seen == ids)
        #expect(LinkHeaderProbe.target(pages[0].headers["Link"], "previous") == nil)
        let previous = try #require(LinkHeaderProbe.target(pages[2].headers["Link"], "previous"))
        let back = try Self.catalogRequest(provider, as: "b", url: previous)
        #expect(try Self.datasetIDs(back) == Array(ids[50..<100]))

        let catalog = try pages[0].json()
        #expect(catalog["participantId"]?.stringValue == "urn:verbund:testfed:a")
        #expect(catalog["service"]?.arrayValue?.first?["endpointURL"]?.stringValue == fixture.members["a"]?.endpoint)
        let offer = catalog["dataset"]?.arrayValue?.first?["hasPolicy"]?.arrayValue?.first
        #expect(offer != nil && offer?["target"] == nil)
        #expect(offer?["@type"]?.stringValue == "Offer")

        // Default page size 50, larger pages up to 500.
        #expect(try Self.datasetIDs(try Self.catalogRequest(provider, as: "b")).count == 50)
        #expect(try Self.datasetIDs(try Self.catalogRequest(provider, as: "b", query: "?limit=500")).count == 120)
        for bad in ["?limit=0", "?limit=501", "?limit=x", "?after=-1", "?after=1&before=5"] {
            let refused = try Self.catalogRequest(provider, as: "b", query: bad)
            #expect(refused.code == 400, "\(bad)")
            #expect(try refused.json()["@type"]?.stringValue == "CatalogError")
            bodies.append(refused.body)
        }
        try CatalogHarness.expectValidDSP(bodies)
    }

    @Test("keyword and full-text filters select datasets; an unsupported filter is answered 400 CatalogError")
    func filters() throws {
        let fixture = try FederationFixture(members: ["a", "b"])
        let provider = try RouteHarness(fixture, member: "a", modules: [CatalogModule(crawls: false)])
        try CatalogHarness.insert(provider.context, [
            CatalogHarness.record("parken", title: "Parkhäuser Innenstadt", keywords: ["Verkehr", "Parken"]),
            CatalogHarness.record("rad", title: "Radverkehrszählung", keywords: ["Verkehr"]),
            CatalogHarness.record("kita", title: "Kitaplätze", keywords: ["Bildung"]),
        ])
        func ids(_ filter: [JSONValue]) throws -> Set<String> {
            let response = try Self.catalogRequest(provider, as: "b", filter: filter)
            #expect(response.code == 200)
            return Set(try Self.datasetIDs(response))
        }
        #expect(try ids([["keyword": "verkehr"]]) == ["parken", "rad"])
        #expect(try ids([["search": "park"]]) == ["parken"])
        #expect(try ids([["search": "innenstadt parkhäuser"]]) == ["parken"])
        #expect(try ids([["keyword": "Verkehr"], ["search": "rad"]]) == ["rad"])
        let none = try Self.catalogRequest(provider, as: "b", filter: [["keyword": "Wetter"]])
        #expect(try none.json()["dataset"] == nil)

        var bodies = [none.body, Array(try DSPJSON.encode(CatalogRequestMessage(filter: [["keyword": "verkehr"]])))]
        for filter: [JSONValue] in [[["sql": "DROP TABLE"]], [["keyword": 5]], [["keyword": "a", "search": "b"]], ["text"],
                                    [["search": "***"]]] {
            let refused = try Self.catalogRequest(provider, as: "b", filter: filter)
            #expect(refused.code == 400)
            let body = try refused.json()
            #expect(body["@type"]?.stringValue == "CatalogError")
            #expect(body["code"]?.stringValue == "UnsupportedFilter")
            bodies.append(refused.body)
        }
        let named = try Self.catalogRequest(provider, as: "b", filter: [["sql": "x"]]).json()
        #expect(named["reason"]?.arrayValue?.first?.stringValue?.contains("\"sql\"") == true)
        try CatalogHarness.expectValidDSP(bodies)
    }

    @Test("GET /catalog/datasets/:id answers the Dataset, or 404 with a CatalogError for an unknown id")
    func datasetRequest() throws {
        let fixture = try FederationFixture(members: ["a", "b"])
        let provider = try RouteHarness(fixture, member: "a", modules: [CatalogModule(crawls: false)])
        try CatalogHarness.insert(provider.context, [CatalogHarness.record("urn:uuid:0d1c7c5e-1", title: "Baustellen")])
        let found = try provider.dsp(.get, "/dsp/catalog/datasets/urn:uuid:0d1c7c5e-1", as: "b")
        #expect(found.code == 200)
        let dataset = try found.json()
        #expect(dataset["@id"]?.stringValue == "urn:uuid:0d1c7c5e-1")
        #expect(dataset["distribution"]?.arrayValue?.first?["accessService"]?["endpointURL"] != nil)
        // Every answer of the DSP guard names the registry and CRL the provider holds.
        #expect(found.headers["Verbund-Registry-Serial"] == String(provider.context.trust.registry.serial))
        let missing = try provider.dsp(.get, "/dsp/catalog/datasets/nope", as: "b")
        #expect(missing.code == 404)
        #expect(try missing.json()["@type"]?.stringValue == "CatalogError")
        let malformed = try provider.dsp(.post, "/dsp/catalog/request", body: Array("{".utf8), as: "b")
        #expect(malformed.code == 400)
        try CatalogHarness.expectValidDSP([found.body, missing.body, malformed.body])
    }

    @Test("offers a member is not eligible for are hidden: region by AGS prefix and member lists")
    func eligibility() throws {
        let fixture = try FederationFixture(members: ["a", "b", "c"], ags: ["a": "16051000", "b": "05916000", "c": "16053000"])
        let provider = try RouteHarness(fixture, member: "a", modules: [CatalogModule(crawls: false)])
        let thuringia = Offer(id: "th#offer", permission: [Rule(action: "use", constraint: [.atomic(Self.region, "eq", .string("16"))])])
        let onlyB = Offer(id: "b#offer", permission: [Rule(action: "use", constraint: [.atomic(Self.member, "isAnyOf", .list([.string("b")]))])])
        let mixed = DatasetRecord(id: "mixed", title: "Gemischt", offers: [
            thuringia, Offer(id: "purpose#offer", permission: [Rule(action: "use", constraint: [.atomic("purpose", "eq", .string("forschung"))])]),
        ])
        try CatalogHarness.insert(provider.context, [
            CatalogHarness.record("thueringen", title: "Nur Thüringen", offer: thuringia),
            CatalogHarness.record("fuer-b", title: "Nur für b", offer: onlyB),
            CatalogHarness.record("alle", title: "Für alle"),
            mixed,
        ])
        let seenByHerne = try Self.datasetIDs(try Self.catalogRequest(provider, as: "b"))
        let seenByJena = try Self.datasetIDs(try Self.catalogRequest(provider, as: "c"))
        #expect(seenByHerne == ["fuer-b", "alle", "mixed"])
        #expect(seenByJena == ["thueringen", "alle", "mixed"])
        // Pages skip what a member may not see: one dataset per page, each seen once, links only where more follow.
        var paged: [String] = []
        var page = try Self.catalogRequest(provider, as: "b", query: "?limit=1")
        while true {
            paged += try Self.datasetIDs(page)
            guard let next = LinkHeaderProbe.target(page.headers["Link"], "next") else { break }
            page = try Self.catalogRequest(provider, as: "b", url: next)
        }
        #expect(paged == seenByHerne)
        // The offers of a dataset are filtered too; a purpose constraint is checked at negotiation, so it is shown.
        let mixedForHerne = try Self.catalogRequest(provider, as: "b").decode(Catalog.self).dataset.first { $0.id == "mixed" }
        #expect(mixedForHerne?.hasPolicy.map(\.id) == ["purpose#offer"])
        // A hidden dataset is answered like an unknown one.
        #expect(try provider.dsp(.get, "/dsp/catalog/datasets/thueringen", as: "b").code == 404)
        #expect(try provider.dsp(.get, "/dsp/catalog/datasets/thueringen", as: "c").code == 200)
        #expect(try provider.dsp(.get, "/dsp/catalog/datasets/fuer-b", as: "c").code == 404)
    }

    @Test("a member the registry no longer admits gets 404 from every catalog route, without a body about datasets")
    func revokedMemberIsRefusedByTheGuard() throws {
        let fixture = try FederationFixture(members: ["a", "b"])
        _ = try fixture.admin().revoke(memberId: "b", reason: "left the federation")
        try fixture.publish(to: ["a"])
        let provider = try RouteHarness(fixture, member: "a", modules: [CatalogModule(crawls: false)])
        try CatalogHarness.insert(provider.context, [CatalogHarness.record("alle", title: "Für alle")])
        // The certificate b proved in an earlier handshake; the guard admits again against the trust held now.
        let refused = try Self.catalogRequest(provider, as: "b")
        #expect(refused.code == 404)
        #expect(!refused.text.contains("alle"))
        #expect(try provider.dsp(.get, "/dsp/catalog/datasets/alle", as: "b").code == 404)
    }
}

/// Reads `Link` headers the way a consumer does (independently of the module's own parser).
enum LinkHeaderProbe {
    static func target(_ header: String?, _ relation: String) -> String? {
        guard let header else { return nil }
        for part in header.components(separatedBy: ",") where part.contains("rel=\"\(relation)\"") {
            guard let open = part.firstIndex(of: "<"), let close = part.firstIndex(of: ">") else { continue }
            return String(part[part.index(after: open)..<close])
        }
        return nil
    }
}
