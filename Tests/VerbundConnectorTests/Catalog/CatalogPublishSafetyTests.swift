import Foundation
import Testing
import VerbundTestSupport
import VerbundConnector
import VerbundDataspace
import VerbundHTTP

/// What a steward (or whoever holds the management token) cannot make the daemon publish: a media type that would
/// inject response fields, or the connector's own key, token, database or anything in its data directory — whatever
/// path (symlink, `..`, hard link) leads there (issue 9).
@Suite("Catalog publishing safety", .offCooperativePool)
struct CatalogPublishSafetyTests {
    @Test("a media type with CR/LF or outside RFC 6838 is refused with what to fix")
    func mediaTypes() throws {
        let fixture = try FederationFixture(members: ["a"])
        let provider = try fixture.start("a", modules: [CatalogModule(crawls: false)])
        defer { provider.stop() }
        let folder = TemporaryFolder("verbund-publish-media")
        let file = try CatalogHarness.dataFile(folder, "daten.csv", "a;b\n")

        let injected = try CatalogHarness.management(provider, .post, "/api/catalog/datasets", json: [
            "file": .string(file), "title": "X", "description": "Testdaten", "mediaType": "text/csv\r\nSet-Cookie: session=stolen",
        ])
        #expect(injected.status == 400)
        let message = injected.body["error"]?.stringValue ?? ""
        #expect(message.contains("mediaType") && message.contains("CR (0x0D)"))
        #expect(!message.contains("\r"))

        let malformed = try CatalogHarness.management(provider, .post, "/api/catalog/datasets", json: [
            "file": .string(file), "title": "X", "description": "Testdaten", "mediaType": "csv",
        ])
        #expect(malformed.status == 400)
        #expect(malformed.body["error"]?.stringValue?.contains("type/subtype") == true)

        let fine = try CatalogHarness.management(provider, .post, "/api/catalog/datasets", json: [
            "file": .string(file), "title": "X", "description": "Testdaten", "mediaType": "text/csv; charset=utf-8",
        ])
        #expect(fine.status == 201)
        #expect(try CatalogHarness.management(provider, .get, "/api/catalog/datasets").body.arrayValue?.count == 1)
    }

    @Test("the connector's key, token, database and data directory are never published, by any path")
    func ownSecrets() throws {
        let fixture = try FederationFixture(members: ["a"])
        let provider = try fixture.start("a", modules: [CatalogModule(crawls: false)])
        defer { provider.stop() }
        let configuration = provider.context.configuration
        let data = configuration.dataDirectory
        let folder = TemporaryFolder("verbund-publish-secrets")
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: folder.file("innocent.csv"), withDestinationPath: configuration.keyFile)
        try manager.createSymbolicLink(atPath: folder.file("data-link"), withDestinationPath: data)
        try manager.linkItem(atPath: configuration.keyFile, toPath: folder.file("hardlink.csv"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: data + "/export.csv"))

        let attempts = [
            configuration.keyFile,
            data + "/management.token",
            data + "/verbund.sqlite",
            data + "/export.csv",
            folder.file("innocent.csv"),
            folder.file("data-link") + "/management.token",
            folder.path + "/../" + URL(fileURLWithPath: folder.path).lastPathComponent + "/data-link/verbund.sqlite",
            folder.file("hardlink.csv"),
        ]
        for path in attempts {
            let answer = try CatalogHarness.management(provider, .post, "/api/catalog/datasets", json: ["file": .string(path), "title": "X", "description": "Testdaten"])
            #expect(answer.status == 400, "\(path) was published")
            #expect(answer.body["error"]?.stringValue?.contains("refusing to publish") == true, "\(path): \(answer.body)")
        }
        #expect(try CatalogHarness.management(provider, .get, "/api/catalog/datasets").body.arrayValue?.isEmpty == true)

        // An ordinary file next to them is still published.
        let ordinary = try CatalogHarness.dataFile(folder, "ok.csv", "a;b\n")
        #expect(try CatalogHarness.management(provider, .post, "/api/catalog/datasets",
                                              json: ["file": .string(ordinary), "title": "X", "description": "Testdaten"]).status == 201)
    }
}
