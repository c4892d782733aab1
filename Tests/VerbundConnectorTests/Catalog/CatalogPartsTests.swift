import Foundation
import Testing
import VerbundTestSupport
import VerbundFederation
import VerbundHTTP
@testable import VerbundConnector
import VerbundDataspace
import VerbundTrust

/// The catalog's pure parts: filter and page parsing, Link headers, full-text queries, eligibility, policy files.
@Suite("Catalog parts", .offCooperativePool)
struct CatalogPartsTests {
    @Test("filters: keyword and search are understood, anything else is refused with its index")
    func filter() throws {
        let filter = try CatalogFilter([["keyword": " Verkehr "], ["search": "park haus"]])
        #expect(filter.keywords == ["verkehr"])
        #expect(filter.fullTextQuery == "\"park\"* \"haus\"*")
        #expect(try CatalogFilter([]).isEmpty)
        for (elements, index): ([JSONValue], Int) in [([["keyword": "a"], ["tag": "x"]], 1), ([[:]], 0), ([["keyword": ""]], 0),
                                                       ([["search": "!!"]], 0), ([.array([])], 0), ([["keyword": ["a"]]], 0)] {
            #expect(throws: CatalogFilterError.self) { try CatalogFilter(elements) }
            do { _ = try CatalogFilter(elements) } catch { #expect(error.index == index) }
        }
    }

    @Test("full-text queries quote every word so FTS5 syntax is never interpreted")
    func fullText() {
        #expect(FullTextQuery.match("Park-Haus \"OR\" NEAR(x)") == "\"park\"* \"haus\"* \"or\"* \"near\"* \"x\"*")
        #expect(FullTextQuery.match("  *** ") == nil)
    }

    @Test("page parameters: limit 1–500 (default 50), one cursor, refusals for the rest")
    func pageRequest() throws {
        func parse(_ query: String) throws -> CatalogPageRequest { try CatalogPageRequest(query: try HTTPRequestTarget("/x" + query)) }
        #expect(try parse("") == CatalogPageRequest(limit: 50))
        #expect(try parse("?after=7&limit=500") == CatalogPageRequest(limit: 500, after: 7))
        #expect(try parse("?before=9").queryString == "before=9&limit=50")
        for bad in ["?limit=0", "?limit=501", "?limit=", "?after=x", "?before=-2", "?after=1&before=2", "?after=99999999999999999999"] {
            #expect(throws: CatalogPageError.self, "\(bad)") { try parse(bad) }
        }
    }

    @Test("Link headers: next and previous in any order, quoted or not, several rel values")
    func linkHeader() {
        let header = "<https://a/dsp/catalog/request?before=3&limit=2>; rel=\"previous\", <https://a/dsp/catalog/request?after=9&limit=2>; rel=next"
        #expect(LinkHeader.target(header, relation: "next") == "https://a/dsp/catalog/request?after=9&limit=2")
        #expect(LinkHeader.target(header, relation: "previous") == "https://a/dsp/catalog/request?before=3&limit=2")
        #expect(LinkHeader.target("<https://x/>; rel=\"start next\"", relation: "next") == "https://x/")
        #expect(LinkHeader.target("<https://x/>; rel=\"last\"", relation: "next") == nil)
        #expect(LinkHeader.target("garbage", relation: "next") == nil)
        #expect(LinkHeader.target(nil, relation: "next") == nil)
    }

    static func member(_ id: String, ags: String?) throws -> Member {
        Member(id: id, participantId: "urn:verbund:t:\(id)", name: id, ags: try ags.map { try MunicipalityKey($0) },
               endpoint: "https://\(id).example/dsp", roles: [.consumer], status: .active, certificates: [])
    }

    @Test("eligibility: region, member lists, dates and prohibitions hide offers; purpose stays open")
    func eligibility() throws {
        let now = XSDDateTime.parse("2026-11-22T00:00:00Z")!
        let jena = OfferEligibility(member: try Self.member("jena", ags: "16053000"), now: now)
        let herne = OfferEligibility(member: try Self.member("herne", ags: "05916000"), now: now)
        let unknown = OfferEligibility(member: try Self.member("x", ags: nil), now: now)
        func offer(_ constraints: [Constraint], prohibited: [Constraint]? = nil) -> Offer {
            Offer(id: "o", permission: [Rule(action: "use", constraint: constraints)],
                  prohibition: prohibited.map { [Rule(action: "use", constraint: $0)] } ?? [])
        }
        let region = "https://w3id.org/verbund/odrl/region", memberOperand = "https://w3id.org/verbund/odrl/member"
        let thuringia = offer([.atomic(region, "eq", .string("16"))])
        #expect(jena.isVisible(thuringia) && !herne.isVisible(thuringia) && !unknown.isVisible(thuringia))
        let listed = offer([.atomic(memberOperand, "isAnyOf", .list([.string("herne")]))])
        #expect(!jena.isVisible(listed) && herne.isVisible(listed))
        let expired = offer([.atomic("dateTime", "lt", .string("2026-01-01T00:00:00Z"))])
        #expect(!jena.isVisible(expired))
        #expect(jena.isVisible(offer([.atomic("count", "lteq", .string("1")), .atomic("elapsedTime", "lteq", .string("P1D"))])))
        let purpose = offer([.atomic("purpose", "eq", .string("forschung"))], prohibited: [.atomic("purpose", "eq", .string("werbung"))])
        #expect(jena.isVisible(purpose))
        let notNRW = offer([], prohibited: [.atomic(region, "eq", .string("05"))])
        #expect(jena.isVisible(notNRW) && !herne.isVisible(notNRW))
        let either = offer([.logical(.or, [.atomic(region, "eq", .string("05")), .atomic(memberOperand, "eq", .string("jena"))])])
        #expect(jena.isVisible(either) && herne.isVisible(either) && !unknown.isVisible(either))
        // Fail closed: anything unsupported hides the offer.
        #expect(!jena.isVisible(offer([.atomic("spatial", "eq", .string("DE"))])))
        #expect(!jena.isVisible(Offer(id: "o", permission: [Rule(action: "distribute")])))
        #expect(!jena.isVisible(Offer(id: "o")))
    }

    @Test("policy files: compact ODRL with numbers, default offer, refusals naming the part")
    func policyFile() throws {
        let offer = try CatalogPolicyFile.offer(from: ["permission": [["action": "use", "constraint": [
            ["leftOperand": "count", "operator": "lteq", "rightOperand": 5]]]], "target": "x"], defaultID: "d#offer")
        #expect(offer.id == "d#offer" && offer.target == nil)
        #expect(PolicyDescription.describe(offer) == "use; at most 5 transfers")
        #expect(PolicyDescription.describe(CatalogPolicyFile.defaultOffer(id: "d")) == "use")
        #expect(throws: CatalogPublishError.self) { try CatalogPolicyFile.offer(from: "use", defaultID: "d") }
        #expect(throws: CatalogPublishError.self) {
            try CatalogPolicyFile.offer(from: ["@type": "Agreement", "permission": [["action": "use"]]], defaultID: "d")
        }
        do {
            _ = try CatalogPolicyFile.offer(from: ["permission": [["action": "use", "constraint": [
                ["leftOperand": "elapsedTime", "operator": "gt", "rightOperand": "P1D"]]]]], defaultID: "d")
            Issue.record("an unsupported operator was accepted")
        } catch {
            #expect(error.description.contains("operator \"gt\"") && error.description.contains("permission[0].constraint[0]"))
        }
    }

    @Test("publication fields: ids, IRIs, media types and the streamed digest")
    func publication() throws {
        let folder = TemporaryFolder("verbund-catalog-parts")
        let path = try CatalogHarness.dataFile(folder, "daten.geojson", String(repeating: "x", count: 700_000))
        let digest = try DatasetPublication.digest(ofFile: path)
        #expect(digest.size == 700_000)
        #expect(digest.sha256 == SHA256.hexHash(Array(repeating: UInt8(ascii: "x"), count: 700_000)))
        #expect(DatasetPublication.mediaType(forFile: path) == "application/geo+json")
        #expect(DatasetPublication.mediaType(forFile: "/x/y.unknown") == "application/octet-stream")
        #expect(throws: CatalogPublishError.self) { try DatasetPublication.digest(ofFile: folder.path) }
        for bad in ["", "a b", "a/b", "a?b", String(repeating: "a", count: 201)] {
            #expect(throws: CatalogPublishError.self, "\(bad)") { try DatasetPublication.checkID(bad) }
        }
        try DatasetPublication.checkID("urn:uuid:1234")
        #expect(DatasetPublication.isIRI("http://dcat-ap.de/def/licenses/dl-by-de/2.0"))
        #expect(!DatasetPublication.isIRI("dl-by-de") && !DatasetPublication.isIRI(":x") && !DatasetPublication.isIRI("a b:c"))
    }
}
