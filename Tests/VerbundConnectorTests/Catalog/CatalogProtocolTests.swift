import Foundation
import Testing
import VerbundConnector
import VerbundDataspace
import VerbundHTTP
import VerbundTransport

/// The DSP catalog protocol between real connectors over mTLS: pages, filters, errors and eligibility, with every
/// message checked against the official 2025-1 schemas.
@Suite("Catalog protocol")
struct CatalogProtocolTests {
    static let region = "https://w3id.org/verbund/odrl/region"
    static let member = "https://w3id.org/verbund/odrl/member"

    @Test("pages follow Link next and previous; every dataset is seen exactly once; bodies validate")
    func paging() throws {
        let fixture = try FederationFixture(members: ["a", "b"])
        let provider = try fixture.start("a", modules: [CatalogModule(crawls: false)])
        defer { provider.stop() }
        let consumer = try fixture.start("b", modules: [CatalogModule(crawls: false)])
        defer { consumer.stop() }
        let ids = (1...120).map { String(format: "ds-%03d", $0) }
        try CatalogHarness.insert(provider, ids.map { CatalogHarness.record($0, title: "Datensatz \($0)") })

        var seen: [String] = []
        var bodies: [[UInt8]] = [Array(try DSPJSON.encode(CatalogRequestMessage()))]
        var response = try CatalogHarness.catalogRequest(from: consumer, to: "a", query: "?limit=50")
        var pages: [PeerResponse] = []
        while true {
            #expect(response.status.code == 200)
            pages.append(response)
            bodies.append(response.body)
            seen += try CatalogHarness.datasetIDs(response)
            guard let next = LinkHeaderProbe.target(response.headers["Link"], "next") else { break }
            #expect(next.contains("/dsp/catalog/request?"))
            response = try CatalogHarness.catalogRequest(from: consumer, to: "a", url: next)
        }
        #expect(pages.count == 3)
        #expect(seen == ids)
        #expect(LinkHeaderProbe.target(pages[0].headers["Link"], "previous") == nil)
        let previous = try #require(LinkHeaderProbe.target(pages[2].headers["Link"], "previous"))
        let back = try CatalogHarness.catalogRequest(from: consumer, to: "a", url: previous)
        #expect(try CatalogHarness.datasetIDs(back) == Array(ids[50..<100]))

        let catalog = try CatalogHarness.json(pages[0])
        #expect(catalog["participantId"]?.stringValue == "urn:verbund:testfed:a")
        #expect(catalog["service"]?.arrayValue?.first?["endpointURL"]?.stringValue == fixture.members["a"]?.endpoint)
        let offer = catalog["dataset"]?.arrayValue?.first?["hasPolicy"]?.arrayValue?.first
        #expect(offer != nil && offer?["target"] == nil)
        #expect(offer?["@type"]?.stringValue == "Offer")

        // Default page size 50, larger pages up to 500.
        #expect(try CatalogHarness.datasetIDs(try CatalogHarness.catalogRequest(from: consumer, to: "a")).count == 50)
        #expect(try CatalogHarness.datasetIDs(try CatalogHarness.catalogRequest(from: consumer, to: "a", query: "?limit=500")).count == 120)
        for bad in ["?limit=0", "?limit=501", "?limit=x", "?after=-1", "?after=1&before=5"] {
            let refused = try CatalogHarness.catalogRequest(from: consumer, to: "a", query: bad)
            #expect(refused.status.code == 400, "\(bad)")
            #expect(try CatalogHarness.json(refused)["@type"]?.stringValue == "CatalogError")
            bodies.append(refused.body)
        }
        try CatalogHarness.expectValidDSP(bodies)
    }

    @Test("keyword and full-text filters select datasets; an unsupported filter is answered 400 CatalogError")
    func filters() throws {
        let fixture = try FederationFixture(members: ["a", "b"])
        let provider = try fixture.start("a", modules: [CatalogModule(crawls: false)])
        defer { provider.stop() }
        let consumer = try fixture.start("b", modules: [CatalogModule(crawls: false)])
        defer { consumer.stop() }
        try CatalogHarness.insert(provider, [
            CatalogHarness.record("parken", title: "Parkhäuser Innenstadt", keywords: ["Verkehr", "Parken"]),
            CatalogHarness.record("rad", title: "Radverkehrszählung", keywords: ["Verkehr"]),
            CatalogHarness.record("kita", title: "Kitaplätze", keywords: ["Bildung"]),
        ])
        func ids(_ filter: [JSONValue]) throws -> Set<String> {
            let response = try CatalogHarness.catalogRequest(from: consumer, to: "a", filter: filter)
            #expect(response.status.code == 200)
            return Set(try CatalogHarness.datasetIDs(response))
        }
        #expect(try ids([["keyword": "verkehr"]]) == ["parken", "rad"])
        #expect(try ids([["search": "park"]]) == ["parken"])
        #expect(try ids([["search": "innenstadt parkhäuser"]]) == ["parken"])
        #expect(try ids([["keyword": "Verkehr"], ["search": "rad"]]) == ["rad"])
        let none = try CatalogHarness.catalogRequest(from: consumer, to: "a", filter: [["keyword": "Wetter"]])
        #expect(try CatalogHarness.json(none)["dataset"] == nil)

        var bodies = [none.body, Array(try DSPJSON.encode(CatalogRequestMessage(filter: [["keyword": "verkehr"]])))]
        for filter: [JSONValue] in [[["sql": "DROP TABLE"]], [["keyword": 5]], [["keyword": "a", "search": "b"]], ["text"],
                                    [["search": "***"]]] {
            let refused = try CatalogHarness.catalogRequest(from: consumer, to: "a", filter: filter)
            #expect(refused.status.code == 400)
            let body = try CatalogHarness.json(refused)
            #expect(body["@type"]?.stringValue == "CatalogError")
            #expect(body["code"]?.stringValue == "UnsupportedFilter")
            bodies.append(refused.body)
        }
        let named = try CatalogHarness.json(try CatalogHarness.catalogRequest(from: consumer, to: "a", filter: [["sql": "x"]]))
        #expect(named["reason"]?.arrayValue?.first?.stringValue?.contains("\"sql\"") == true)
        try CatalogHarness.expectValidDSP(bodies)
    }

    @Test("GET /catalog/datasets/:id answers the Dataset, or 404 with a CatalogError for an unknown id")
    func datasetRequest() throws {
        let fixture = try FederationFixture(members: ["a", "b"])
        let provider = try fixture.start("a", modules: [CatalogModule(crawls: false)])
        defer { provider.stop() }
        let consumer = try fixture.start("b", modules: [CatalogModule(crawls: false)])
        defer { consumer.stop() }
        try CatalogHarness.insert(provider, [CatalogHarness.record("urn:uuid:0d1c7c5e-1", title: "Baustellen")])
        let found = try consumer.context.peerClient.send(toMember: "a", method: .get, path: "/catalog/datasets/urn:uuid:0d1c7c5e-1")
        #expect(found.status.code == 200)
        let dataset = try CatalogHarness.json(found)
        #expect(dataset["@id"]?.stringValue == "urn:uuid:0d1c7c5e-1")
        #expect(dataset["distribution"]?.arrayValue?.first?["accessService"]?["endpointURL"] != nil)
        let missing = try consumer.context.peerClient.send(toMember: "a", method: .get, path: "/catalog/datasets/nope")
        #expect(missing.status.code == 404)
        #expect(try CatalogHarness.json(missing)["@type"]?.stringValue == "CatalogError")
        let malformed = try consumer.context.peerClient.send(toMember: "a", method: .post, path: "/catalog/request", body: Array("{".utf8))
        #expect(malformed.status.code == 400)
        try CatalogHarness.expectValidDSP([found.body, missing.body, malformed.body])
    }

    @Test("offers a member is not eligible for are hidden: region by AGS prefix and member lists")
    func eligibility() throws {
        let fixture = try FederationFixture(members: ["a", "b", "c"], ags: ["a": "16051000", "b": "05916000", "c": "16053000"])
        let provider = try fixture.start("a", modules: [CatalogModule(crawls: false)])
        defer { provider.stop() }
        let herne = try fixture.start("b", modules: [CatalogModule(crawls: false)])
        defer { herne.stop() }
        let jena = try fixture.start("c", modules: [CatalogModule(crawls: false)])
        defer { jena.stop() }
        let thuringia = Offer(id: "th#offer", permission: [Rule(action: "use", constraint: [.atomic(Self.region, "eq", .string("16"))])])
        let onlyB = Offer(id: "b#offer", permission: [Rule(action: "use", constraint: [.atomic(Self.member, "isAnyOf", .list([.string("b")]))])])
        let mixed = DatasetRecord(id: "mixed", title: "Gemischt", offers: [
            thuringia, Offer(id: "purpose#offer", permission: [Rule(action: "use", constraint: [.atomic("purpose", "eq", .string("forschung"))])]),
        ])
        try CatalogHarness.insert(provider, [
            CatalogHarness.record("thueringen", title: "Nur Thüringen", offer: thuringia),
            CatalogHarness.record("fuer-b", title: "Nur für b", offer: onlyB),
            CatalogHarness.record("alle", title: "Für alle"),
            mixed,
        ])
        let seenByHerne = try CatalogHarness.datasetIDs(try CatalogHarness.catalogRequest(from: herne, to: "a"))
        let seenByJena = try CatalogHarness.datasetIDs(try CatalogHarness.catalogRequest(from: jena, to: "a"))
        #expect(seenByHerne == ["fuer-b", "alle", "mixed"])
        #expect(seenByJena == ["thueringen", "alle", "mixed"])
        // Pages skip what a member may not see: one dataset per page, each seen once, links only where more follow.
        var paged: [String] = []
        var page = try CatalogHarness.catalogRequest(from: herne, to: "a", query: "?limit=1")
        while true {
            paged += try CatalogHarness.datasetIDs(page)
            guard let next = LinkHeaderProbe.target(page.headers["Link"], "next") else { break }
            page = try CatalogHarness.catalogRequest(from: herne, to: "a", url: next)
        }
        #expect(paged == seenByHerne)
        // The offers of a dataset are filtered too; a purpose constraint is checked at negotiation, so it is shown.
        let mixedForHerne = try DSPJSON.decode(Catalog.self, from: Data(try CatalogHarness.catalogRequest(from: herne, to: "a").body))
            .dataset.first { $0.id == "mixed" }
        #expect(mixedForHerne?.hasPolicy.map(\.id) == ["purpose#offer"])
        // A hidden dataset is answered like an unknown one.
        #expect(try herne.context.peerClient.send(toMember: "a", method: .get, path: "/catalog/datasets/thueringen").status.code == 404)
        #expect(try jena.context.peerClient.send(toMember: "a", method: .get, path: "/catalog/datasets/thueringen").status.code == 200)
        #expect(try jena.context.peerClient.send(toMember: "a", method: .get, path: "/catalog/datasets/fuer-b").status.code == 404)
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
