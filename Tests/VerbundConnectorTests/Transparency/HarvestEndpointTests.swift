import Foundation
import Testing
import VerbundDataspace
import VerbundHTTP
import VerbundTestSupport
import VerbundTransport
@testable import VerbundConnector

/// `GET /dcat/catalog` on a running daemon's public listener (issue 13): what it serves in each syntax and profile has
/// no violation against the official DCAT-AP.de shapes (pyshacl, `scripts/dcat-shacl.py`) and is read by ckanext-dcat's
/// harvester; it lists only datasets marked public; pages carry absolute links, the last page none.
@Suite(.offCooperativePool) struct HarvestEndpointTests {
    static func start(_ fixture: FederationFixture, baseURL: String? = nil) throws -> RunningConnector {
        try NegotiationTestbed.retryingBind {
            try fixture.start("nuernberg", modules: [CatalogModule(crawls: false)], adjust: {
                $0.publicListen = "127.0.0.1:0"
                $0.publicBaseURL = baseURL
                $0.publicCatalog = .init(title: "Offene Daten der Stadt Nürnberg", homepage: "https://www.nuernberg.de/internet/opendata/",
                                         contributorID: "http://dcat-ap.de/def/contributors/stadtNuernberg")
            })
        }
    }

    static func insert(_ running: RunningConnector, _ records: [DatasetRecord], listed: Bool) throws {
        let store = CatalogStore(database: running.context.database)
        try running.context.database.transaction { tx in
            for record in records { try store.insert(record, filePath: "/dev/null", at: Date(), listed: listed, in: tx) }
        }
    }

    static func get(_ running: RunningConnector, _ target: String, headers: [(String, String)] = []) throws -> HTTPClientResponse {
        var fields = HTTPHeaders()
        for (name, value) in headers { fields.set(name, value) }
        let port = try #require(running.connector.publicPort)
        return try HTTPClient().send(HTTPClientRequest(host: "127.0.0.1", port: port, target: target, headers: fields))
    }

    @Test(arguments: DCATAPDEProfile.allCases)
    func theServedCatalogValidatesAndHarvests(profile: DCATAPDEProfile) throws {
        let fixture = try FederationFixture(members: ["nuernberg"], ags: ["nuernberg": "09564000"])
        let running = try Self.start(fixture)
        defer { running.stop() }
        try Self.insert(running, try DCATFixture.records(), listed: true)
        try Self.insert(running, [CatalogHarness.record("geheim", title: "Nicht gelistet")], listed: false)
        let query = profile == .v2 ? "?profile=dcat-ap-de-2" : ""
        var files: [String: String] = [:]
        for format in DCATFormat.allCases {
            // By the path's extension and by content negotiation: the same document.
            let byPath = try Self.get(running, "/dcat/catalog.\(format.fileExtension)\(query)")
            let negotiated = try Self.get(running, "/dcat/catalog\(query)", headers: [("Accept", format.mediaType)])
            #expect(byPath.status.code == 200 && negotiated.status.code == 200)
            #expect(negotiated.headers["Content-Type"] == format.mediaType + "; charset=utf-8")
            let text = String(decoding: byPath.body, as: UTF8.self)
            #expect(!text.contains("Nicht gelistet") && text.contains("Parkhausbelegung Nürnberg"))
            files["catalog.\(format.fileExtension)"] = text
        }
        if let result = try DCATShapesTests.validate(files, profile: profile) {
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.components(separatedBy: ", 0 violations,").count == 4, "\(result.output)")
        }
        guard let harvested = try CKANHarvestTests.harvest(files: files) else { return }
        for (name, catalog) in harvested {
            #expect(catalog.datasets.count == 5, "\(name)")
            #expect(catalog.next == nil, "\(name): one page, no next")
            #expect(catalog.datasets.allSatisfy { $0.title?.isEmpty == false && !$0.licenses.isEmpty }, "\(name)")
        }
    }

    @Test func pagesLinkAbsolutelyAndTheLastHasNoNext() throws {
        let fixture = try FederationFixture(members: ["nuernberg"])
        let running = try Self.start(fixture)
        defer { running.stop() }
        let records = (1...150).map { CatalogHarness.record("d\($0)", title: "Datensatz \($0)") }
        try Self.insert(running, records, listed: true)
        let first = try Self.get(running, "/dcat/catalog", headers: [("Host", "opendata.nuernberg.example")])
        let text = String(decoding: first.body, as: UTF8.self)
        #expect(first.status.code == 200 && first.headers["Content-Type"] == "text/turtle; charset=utf-8")
        #expect(text.contains("hydra:next <http://opendata.nuernberg.example/dcat/catalog?page=2>"), "\(text.suffix(800))")
        #expect(text.contains("hydra:totalItems \"150\"^^xsd:integer") || text.contains("hydra:totalItems 150"), "\(text.suffix(800))")
        #expect(text.components(separatedBy: "a dcat:Dataset").count - 1 == CatalogHarvestRoutes.pageSize)
        let last = String(decoding: try Self.get(running, "/dcat/catalog?page=2").body, as: UTF8.self)
        #expect(!last.contains("hydra:next") && last.contains("hydra:previous"))
        #expect(last.components(separatedBy: "a dcat:Dataset").count - 1 == 50)
        #expect(try Self.get(running, "/dcat/catalog?page=3").status.code == 404)
        for bad in ["?page=0", "?page=x", "?page=99999999999", "?profile=dcat-ap-de-9"] {
            #expect(try Self.get(running, "/dcat/catalog" + bad).status.code == 400, "\(bad)")
        }
        #expect(try Self.get(running, "/dcat/catalog", headers: [("Accept", "text/html")]).status.code == 406)
        #expect(try Self.get(running, "/dcat/catalog", headers: [("Host", "evil.example/<script>")]).status.code == 400)
    }

    @Test func aConfiguredBaseURLMakesTheLinks() throws {
        let fixture = try FederationFixture(members: ["nuernberg"])
        let running = try Self.start(fixture, baseURL: "https://transparenz.nuernberg.example/verbund/")
        defer { running.stop() }
        try Self.insert(running, (1...101).map { CatalogHarness.record("d\($0)", title: "D \($0)") }, listed: true)
        let text = String(decoding: try Self.get(running, "/dcat/catalog.jsonld", headers: [("Host", "anything.example")]).body,
                          as: UTF8.self)
        #expect(text.contains("https://transparenz.nuernberg.example/verbund/dcat/catalog.jsonld?page=2"), "\(text.suffix(600))")
        #expect(!text.contains("anything.example"))
    }
}
