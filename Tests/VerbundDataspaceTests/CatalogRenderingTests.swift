import Foundation
import Testing
@testable import VerbundDataspace

@Suite("DCAT-AP.de catalog rendering")
struct CatalogRenderingTests {
    @Test("a record renders as a DSP dataset with DCAT-AP.de properties")
    func dataset() throws {
        let dataset = try CatalogRendering.dataset(Samples.record, service: Samples.service, inlineService: false)
        let object = try Samples.json(try DSPJSON.encode(dataset))
        #expect(object["@id"] as? String == Samples.dataset)
        #expect(object["@type"] as? String == "Dataset")
        let title = try #require(object["dct:title"] as? [String: String])
        #expect(title == ["@value": "Parkplätze Jena", "@language": "de"])
        #expect((object["dcat:keyword"] as? [[String: String]])?.map { $0["@value"] } == ["Parken", "Verkehr"])
        #expect((object["dcat:theme"] as? [[String: String]])?.first?["@id"]
            == "http://publications.europa.eu/resource/authority/data-theme/TRAN")
        #expect((object["dct:modified"] as? [String: String]) == ["@value": "2026-02-01T08:30:00Z", "@type": "xsd:dateTime"])
        #expect((object["dct:publisher"] as? [String: String])?["http://xmlns.com/foaf/0.1/name"] == "Stadt Jena")
        let temporal = try #require(object["dct:temporal"] as? [String: Any])
        #expect((temporal["dcat:endDate"] as? [String: String])?["@value"] == "2025-12-31T00:00:00Z")

        let offers = try #require(object["hasPolicy"] as? [[String: Any]])
        #expect(offers.count == 1)
        #expect(offers[0]["target"] == nil, "offers in a dataset have no target")
        let distributions = try #require(object["distribution"] as? [[String: Any]])
        #expect(distributions.map { $0["format"] as? String } == ["HttpData-PULL", "HttpData-PUSH"])
        #expect(distributions.allSatisfy { $0["accessService"] as? String == Samples.service.id })
        let first = distributions[0]
        #expect((first["dcat:byteSize"] as? [String: String])?["@value"] == "123456")
        #expect((first["dcat:mediaType"] as? [String: String])?["@id"]
            == "https://www.iana.org/assignments/media-types/text/csv")
        #expect((first["dct:license"] as? [String: String])?["@id"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0")
        let checksum = try #require(first["http://spdx.org/rdf/terms#checksum"] as? [String: Any])
        #expect((checksum["http://spdx.org/rdf/terms#checksumValue"] as? [String: String])?["@value"]
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("the dataset answer inlines its data service; the catalog lists it once")
    func catalog() throws {
        let standalone = try CatalogRendering.dataset(Samples.record, service: Samples.service, inlineService: true)
        #expect(standalone.distribution.allSatisfy { $0.accessService == .inline(Samples.service) })
        let catalog = try CatalogRendering.catalog(
            id: "urn:c", participantId: "urn:verbund:thueringen:jena", service: Samples.service, records: [Samples.record],
            properties: ["dct:title": "Katalog Jena"])
        #expect(catalog.service == [Samples.service])
        #expect(catalog.dataset.count == 1)
        let object = try Samples.json(try DSPJSON.encode(catalog))
        #expect(object["participantId"] as? String == "urn:verbund:thueringen:jena")
        #expect(object["hasPolicy"] == nil)
        #expect(object["dct:title"] as? String == "Katalog Jena")
        let datasets = try #require(object["dataset"] as? [[String: Any]])
        #expect(datasets[0]["@context"] == nil, "nested datasets carry no context")

        let empty = try CatalogRendering.catalog(id: "urn:c", participantId: "urn:p", service: Samples.service, records: [])
        let emptyObject = try Samples.json(try DSPJSON.encode(empty))
        #expect(emptyObject["dataset"] == nil, "an empty catalog omits dataset rather than writing []")
        for data in [try DSPJSON.encode(empty), try DSPJSON.encode(standalone), try DSPJSON.encode(catalog)] {
            if let result = try DSPValidator.validate(data) {
                #expect(result.status == 0, "\(result.output)")
            }
        }
    }

    @Test("the record reads back from its rendered dataset")
    func readBack() throws {
        let dataset = try CatalogRendering.dataset(Samples.record, service: Samples.service, inlineService: false)
        let decoded = try DSPJSON.decode(Dataset.self, from: try DSPJSON.encode(dataset))
        var expected = Samples.record
        expected.checksumSHA256 = expected.checksumSHA256?.lowercased()
        expected.offers = expected.offers.map { $0.normalized() }
        #expect(DatasetRecord(dataset: decoded) == expected)
    }

    @Test("offers are normalised before publishing")
    func normalisedOffers() throws {
        var record = Samples.record
        record.offers = [Offer(id: "urn:o", target: "urn:somewhere", permission: [Rule(action: "use", constraint: [
            .atomic("dateTime", "lt", .string("2027-01-01")),
        ])])]
        let dataset = try CatalogRendering.dataset(record, service: Samples.service, inlineService: false)
        #expect(dataset.hasPolicy[0].target == nil)
        #expect(dataset.hasPolicy[0].permission[0].constraint[0]
            == .atomic("dateTime", "lt", .string("2027-01-01T00:00:00Z")))
    }

    @Test("unenforceable, missing or duplicate offers make a record unpublishable")
    func refused() {
        var record = Samples.record
        record.offers = []
        #expect(throws: CatalogRenderingError.noOffer(dataset: Samples.dataset)) {
            try CatalogRendering.dataset(record, service: Samples.service, inlineService: false)
        }
        record.offers = [Offer(id: "urn:o", permission: [Rule(action: "use", constraint: [
            .atomic("spatial", "eq", .string("EU")),
        ])])]
        do {
            _ = try CatalogRendering.catalog(id: "urn:c", participantId: "urn:p", service: Samples.service,
                                             records: [record])
            Issue.record("an offer with an unknown leftOperand must not be published")
        } catch {
            guard case .unpublishablePolicy(_, let offer, let reason) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(offer == "urn:o")
            #expect(error.description.contains("\"spatial\""))
            #expect(reason.path == "permission[0].constraint[0]")
        }
        record.offers = [Samples.offer, Samples.offer]
        #expect(throws: CatalogRenderingError.duplicateOfferID(dataset: Samples.dataset, offer: Samples.offer.id)) {
            try CatalogRendering.dataset(record, service: Samples.service, inlineService: false)
        }
    }

    @Test("catalog objects refuse missing required parts")
    func badCatalogs() {
        let c = #"["https://w3id.org/dspace/2025/1/context.jsonld"]"#
        for json in [
            #"{"@context":\#(c),"@type":"Catalog","@id":"urn:c"}"#,  // root without participantId
            #"{"@context":\#(c),"@type":"Dataset","@id":"urn:d","distribution":[]}"#,  // no hasPolicy
            #"{"@context":\#(c),"@type":"Dataset","@id":"urn:d","hasPolicy":[],"distribution":[{"@type":"Distribution","format":"HttpData-PULL"}]}"#,
            #"{"@context":\#(c),"@type":"Dataset","@id":"urn:d","hasPolicy":[{"@id":"urn:o","@type":"Agreement"}],"distribution":[]}"#,
            #"{"@context":\#(c),"@type":"Dataset","@id":"urn:d","hasPolicy":[],"distribution":[{"@type":"Distribution","format":"HttpData-PULL","accessService":"urn:s"}]}"#,
            #"{"@context":\#(c),"@type":"Dataset","@id":"urn:d","hasPolicy":[{"@id":"urn:o","permission":[{"action":"use"}]}],"distribution":[]}"#,
            #"{"@context":\#(c),"@type":"Catalog","@id":"urn:c","participantId":"urn:p","dataset":[{"@type":"Catalog","@id":"urn:x"}]}"#,
        ] {
            #expect(throws: (any Error).self, "\(json)") { try DSPMessage.decode(from: Data(json.utf8)) }
        }
    }

    @Test("a catalog offer may omit @type; extra DCAT properties of peers survive")
    func lenientPeerCatalog() throws {
        let json = #"""
        {"@context":["https://w3id.org/dspace/2025/1/context.jsonld"],"@type":"Dataset","@id":"urn:d",
         "dct:title":"Bäume","http://example.org/extra":[1,true,null,{"a":2.5}],
         "hasPolicy":[{"@id":"urn:o","permission":[{"action":"use"}]}],
         "distribution":[{"format":"HttpData-PULL","accessService":[{"@id":"urn:s","@type":"DataService","endpointURL":"https://x"}]}]}
        """#
        let dataset = try DSPJSON.decode(Dataset.self, from: Data(json.utf8))
        #expect(dataset.hasPolicy[0].id == "urn:o")
        #expect(dataset.properties["http://example.org/extra"]
            == .array([.integer(1), .bool(true), .null, .object(["a": .number(2.5)])]))
        #expect(dataset.distribution[0].accessService.id == "urn:s")
        #expect(DatasetRecord(dataset: dataset).title == "Bäume")
        let again = try DSPJSON.decode(Dataset.self, from: try DSPJSON.encode(dataset))
        #expect(again == dataset)
    }
}
