import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundConnector
import VerbundDataspace
import VerbundFederation
import VerbundHTTP
import VerbundTransport

/// A member whose catalog offer carries an `elapsedTime` of 10^60 weeks (found by the `iso-duration` fuzz target):
/// describing it in plain words converted it to Int64 and trapped, so every connector that crawled the member's
/// catalog stopped. The crawling connector must read the catalog, show the offer as unsupported, and stay up.
@Suite("Hostile catalog offers", .offCooperativePool)
struct HostileOfferCrawlTests {
    /// Serves one fixed catalog page on `POST /catalog/request`, whatever Verbund's own validation would say.
    struct HostileCatalogModule: ConnectorModule {
        let name = "hostilecatalog"
        let migrationVersions = 97...97
        let body: [UInt8]

        func registerDSPRoutes(into router: inout DSPRoutes, context: ConnectorContext) {
            let body = body
            router.post("/catalog/request") { _, _ in DSPResponse.json(bytes: body) }
        }
    }

    static let huge = "P" + String(repeating: "8", count: 60) + "W"

    /// A genuine catalog page with a 30-day offer, then the duration replaced in the bytes.
    static func hostileCatalog(participantId: String) throws -> [UInt8] {
        let offer = Offer(id: "a-hostile#offer", permission: [Rule(action: "use", constraint: [.atomic("elapsedTime", "lteq", .string("P30D"))])])
        let catalog = try CatalogRendering.catalog(
            id: participantId + ":catalog", participantId: participantId,
            service: DataService(id: participantId + ":dsp", endpointURL: "https://127.0.0.1:1/dsp"),
            records: [CatalogHarness.record("a-hostile", title: "Ewig", offer: offer)])
        let text = String(decoding: try DSPMessage.catalog(catalog).encoded(), as: UTF8.self)
        #expect(text.contains("\"P30D\""))
        return Array(text.replacingOccurrences(of: "\"P30D\"", with: "\"\(huge)\"").utf8)
    }

    @Test func anElapsedTimeBeyondInt64SecondsDoesNotStopTheCrawler() throws {
        let fixture = try FederationFixture(members: ["a", "c"])
        let a = try fixture.start("a", modules: [HostileCatalogModule(body: try Self.hostileCatalog(participantId: "urn:verbund:\(fixture.federationId):a"))])
        defer { a.stop() }
        let c = try fixture.start("c", modules: [CatalogModule(crawls: false)])
        defer { c.stop() }

        let round = try CatalogHarness.management(c, .post, "/api/catalog/crawl")
        #expect(round.status == 200)
        #expect(round.body["crawled"]?["a"]?.integerValue == 1, "\(round.body)")
        let listed = try CatalogHarness.management(c, .get, "/api/catalog/federated?search=Ewig").body["datasets"]?.arrayValue ?? []
        let terms = listed.first?["offers"]?.arrayValue?.first?["terms"]?.stringValue ?? ""
        #expect(terms.contains("unsupported constraint") && terms.contains(Self.huge), "\(terms)")
        // The connector still answers.
        #expect(try CatalogHarness.management(c, .get, "/api/catalog/federated").status == 200)
    }
}
