import Foundation
import Testing
import VerbundTestSupport
import VerbundConnector
import VerbundDataspace
import VerbundHTTP
import VerbundTrust

/// Publishing and removing datasets through the management API.
@Suite("Catalog publishing", .offCooperativePool)
struct CatalogPublishTests {
    @Test("a dataset is published with derived metadata, logged, listed, served and removed")
    func publishListRemove() throws {
        let fixture = try FederationFixture(members: ["a", "b"], ags: ["a": "16051000"])
        let provider = try fixture.start("a", modules: [CatalogModule(crawls: false)])
        defer { provider.stop() }
        let consumer = try fixture.start("b", modules: [CatalogModule(crawls: false)])
        defer { consumer.stop() }
        let folder = TemporaryFolder("verbund-catalog-publish")
        let content = "stelle;plaetze\nA;10\n"
        let file = try CatalogHarness.dataFile(folder, "parken.csv", content)
        let before = try provider.context.audit.size()

        let published = try CatalogHarness.management(provider, .post, "/api/catalog/datasets", json: [
            "file": .string(file), "title": "Parkplätze", "description": "Belegung", "keywords": ["Verkehr", "Parken"],
            "theme": "http://publications.europa.eu/resource/authority/data-theme/TRAN",
            "license": "http://dcat-ap.de/def/licenses/dl-by-de/2.0", "id": "parken",
            "policy": ["permission": [["action": "use", "constraint": [["leftOperand": "count", "operator": "lteq", "rightOperand": 5]]]]],
        ])
        #expect(published.status == 201)
        #expect(published.body["sha256"]?.stringValue == SHA256.hexHash(Array(content.utf8)))
        #expect(published.body["byteSize"]?.integerValue == Int64(content.utf8.count))
        #expect(published.body["mediaType"]?.stringValue == "text/csv")
        #expect(published.body["offers"]?.arrayValue?.first?["terms"]?.stringValue == "use; at most 5 transfers")
        #expect(try provider.context.audit.kinds(from: before).filter { $0.hasPrefix("catalog.") } == ["catalog.dataset.published"])

        // Without --policy: "use, members only"; without --id: a urn:uuid.
        let plain = try CatalogHarness.management(provider, .post, "/api/catalog/datasets", json: ["file": .string(file), "title": "Zweiter", "description": "Testdaten"])
        #expect(plain.status == 201)
        #expect(plain.body["id"]?.stringValue?.hasPrefix("urn:uuid:") == true)
        #expect(plain.body["offers"]?.arrayValue?.first?["terms"]?.stringValue == "use")

        let listed = try CatalogHarness.management(provider, .get, "/api/catalog/datasets")
        #expect(listed.body.arrayValue?.count == 2)
        let served = try consumer.context.peerClient.send(toMember: "a", method: .get, path: "/catalog/datasets/parken")
        #expect(served.status.code == 200)
        let record = DatasetRecord(dataset: try DSPJSON.decode(Dataset.self, from: Data(served.body)))
        #expect(record.publisher?.id == "urn:verbund:testfed:a")
        #expect(record.keywords == ["Verkehr", "Parken"])
        #expect(record.spatial == ["http://dcat-ap.de/def/politicalGeocoding/municipalityKey/16051000"])
        #expect(record.issued != nil)
        try CatalogHarness.expectValidDSP([served.body])

        #expect(try CatalogHarness.management(provider, .delete, "/api/catalog/datasets/parken").status == 200)
        #expect(try CatalogHarness.management(provider, .delete, "/api/catalog/datasets/parken").status == 404)
        #expect(try consumer.context.peerClient.send(toMember: "a", method: .get, path: "/catalog/datasets/parken").status.code == 404)
        #expect(try provider.context.audit.kinds(from: before).filter { $0.hasPrefix("catalog.") }
            == ["catalog.dataset.published", "catalog.dataset.published", "catalog.dataset.removed"])
    }

    @Test("refusals name the problem: unsupported operand, missing file, duplicate id, bad fields")
    func refusals() throws {
        let fixture = try FederationFixture(members: ["a"])
        let provider = try fixture.start("a", modules: [CatalogModule(crawls: false)])
        defer { provider.stop() }
        let folder = TemporaryFolder("verbund-catalog-refusals")
        let file = try CatalogHarness.dataFile(folder, "daten.json", "{}")
        let before = try provider.context.audit.size()

        let spatial = try CatalogHarness.management(provider, .post, "/api/catalog/datasets", json: [
            "file": .string(file), "title": "X", "description": "Testdaten",
            "policy": ["permission": [["action": "use", "constraint": [["leftOperand": "spatial", "operator": "eq", "rightOperand": "DE"]]]]],
        ])
        #expect(spatial.status == 400)
        let message = spatial.body["error"]?.stringValue ?? ""
        #expect(message.contains("\"spatial\"") && message.contains("permission[0].constraint[0]"))

        let action = try CatalogHarness.management(provider, .post, "/api/catalog/datasets", json: [
            "file": .string(file), "title": "X", "description": "Testdaten", "policy": ["permission": [["action": "distribute"]]],
        ])
        #expect(action.status == 400)
        #expect(action.body["error"]?.stringValue?.contains("\"distribute\"") == true)

        let obligation = try CatalogHarness.management(provider, .post, "/api/catalog/datasets", json: [
            "file": .string(file), "title": "X", "description": "Testdaten", "policy": ["permission": [["action": "use"]], "obligation": [["action": "compensate"]]],
        ])
        #expect(obligation.status == 400)
        #expect(obligation.body["error"]?.stringValue?.contains("obligation[0]") == true)

        let missing = try CatalogHarness.management(provider, .post, "/api/catalog/datasets",
                                                    json: ["file": .string(folder.file("fehlt.csv")), "title": "X", "description": "Testdaten"])
        #expect(missing.status == 400)
        #expect(missing.body["error"]?.stringValue?.contains("no such file") == true)

        let relative = try CatalogHarness.management(provider, .post, "/api/catalog/datasets", json: ["file": "daten.json", "title": "X", "description": "Testdaten"])
        #expect(relative.status == 400)

        #expect(try CatalogHarness.management(provider, .post, "/api/catalog/datasets",
                                              json: ["file": .string(file), "title": "X", "description": "Testdaten", "id": "eins"]).status == 201)
        let duplicate = try CatalogHarness.management(provider, .post, "/api/catalog/datasets",
                                                      json: ["file": .string(file), "title": "Y", "description": "Testdaten", "id": "eins"])
        #expect(duplicate.status == 409)
        #expect(duplicate.body["error"]?.stringValue?.contains("'eins' is already published") == true)

        for bad: JSONValue in [
            ["file": .string(file), "title": "  ", "description": "Testdaten"],
            ["file": .string(file), "title": "X", "description": "Testdaten", "id": "a/b"],
            ["file": .string(file), "title": "X", "description": "Testdaten", "license": "not an iri"],
            ["file": .string(file), "title": "X", "description": "Testdaten", "policy": "use"],
            ["title": "X", "description": "Testdaten"],
        ] {
            #expect(try CatalogHarness.management(provider, .post, "/api/catalog/datasets", json: bad).status == 400, "\(bad)")
        }
        // Only the one successful publication was logged.
        #expect(try provider.context.audit.kinds(from: before).filter { $0.hasPrefix("catalog.") } == ["catalog.dataset.published"])
        #expect(try CatalogHarness.management(provider, .get, "/api/catalog/datasets").body.arrayValue?.count == 1)
    }
}
