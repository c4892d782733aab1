import Foundation
import Testing
import VerbundDataspace
import VerbundHTTP
import VerbundTestSupport
import VerbundTransport
import VerbundTrust
@testable import VerbundConnector

/// Open data (issue 13; docs/operator.md, "Open data"): a file dataset published with `open` is served to anyone at
/// `GET /open/<id>` on the public listener — bytes, length, ETag and digests match the file; HEAD and ranges work;
/// each download is counted and logged without anything about the client — and listed in the harvest endpoint with
/// that download URL; everything else (not open, unknown, removed, hostile paths) is not served.
@Suite(.offCooperativePool) struct OpenDataTests {
    static let content = "haushalt;ansatz\nSchulen;1200000\nStraßen;830000\n"

    struct Setup {
        let fixture: FederationFixture
        let running: RunningConnector
        let folder: TemporaryFolder
        let file: String
    }

    static func start(baseURL: String? = "https://opendata.jena.example") throws -> Setup {
        let fixture = try FederationFixture(members: ["jena"])
        let running = try NegotiationTestbed.retryingBind {
            try fixture.start("jena", modules: [CatalogModule(crawls: false)], adjust: {
                $0.publicListen = "127.0.0.1:0"
                $0.publicBaseURL = baseURL
            })
        }
        let folder = TemporaryFolder("verbund-open-data")
        let file = try CatalogHarness.dataFile(folder, "haushalt.csv", content)
        return Setup(fixture: fixture, running: running, folder: folder, file: file)
    }

    static func publish(_ setup: Setup, _ fields: [String: JSONValue]) throws -> (status: Int, body: JSONValue) {
        var body: [String: JSONValue] = ["file": .string(setup.file), "title": "Haushalt 2026", "description": "Ansätze nach Bereichen",
                                         "license": "http://dcat-ap.de/def/licenses/dl-zero-de/2.0"]
        body.merge(fields) { _, new in new }
        return try CatalogHarness.management(setup.running, .post, "/api/catalog/datasets", json: .object(body))
    }

    static func request(_ running: RunningConnector, _ target: String, method: HTTPMethod = .get,
                        headers: [(String, String)] = []) throws -> HTTPClientResponse {
        var fields = HTTPHeaders()
        for (name, value) in headers { fields.set(name, value) }
        let port = try #require(running.connector.publicPort)
        return try HTTPClient().send(HTTPClientRequest(method: method, host: "127.0.0.1", port: port, target: target, headers: fields))
    }

    @Test func anOpenDatasetIsServedWithLengthETagAndDigestAndCounted() throws {
        let setup = try Self.start()
        defer { setup.running.stop() }
        let published = try Self.publish(setup, ["id": "haushalt-2026", "open": true])
        #expect(published.status == 201, "\(published.body)")
        #expect(published.body["open"] == true && published.body["transparency"] == true)
        #expect(published.body["accessRights"]?.stringValue == DatasetPublication.publicAccess)

        let bytes = Array(Self.content.utf8)
        let sha = SHA256.hash(bytes)
        let digest = "sha-256=:" + Data(sha).base64EncodedString() + ":"
        let whole = try Self.request(setup.running, "/open/haushalt-2026")
        #expect(whole.status.code == 200)
        #expect(whole.body == bytes)
        #expect(whole.headers["Content-Length"] == String(bytes.count))
        #expect(whole.headers["Content-Type"] == "text/csv")
        #expect(whole.headers["ETag"] == "\"sha256-\(Hex.encode(sha))\"")
        #expect(whole.headers["Repr-Digest"] == digest && whole.headers["Content-Digest"] == digest)
        #expect(whole.headers["Content-Security-Policy"] != nil && whole.headers["X-Content-Type-Options"] == "nosniff")

        let head = try Self.request(setup.running, "/open/haushalt-2026", method: .head)
        #expect(head.status.code == 200 && head.body.isEmpty)
        #expect(head.headers["Content-Length"] == String(bytes.count) && head.headers["Repr-Digest"] == digest)

        let start = try Self.request(setup.running, "/open/haushalt-2026", headers: [("Range", "bytes=0-7")])
        #expect(start.status.code == 206 && start.body == Array(bytes[0...7]))
        #expect(start.headers["Content-Range"] == "bytes 0-7/\(bytes.count)" && start.headers["Content-Digest"] == nil)
        let rest = try Self.request(setup.running, "/open/haushalt-2026", headers: [("Range", "bytes=8-")])
        #expect(rest.status.code == 206 && rest.body == Array(bytes[8...]))
        #expect(try Self.request(setup.running, "/open/haushalt-2026", headers: [("Range", "bytes=9999-")]).status.code == 416)

        // Counted: the whole file and the range from byte 0; not HEAD, not the continuation, not the 416.
        let summary = try CatalogHarness.management(setup.running, .get, "/api/catalog/datasets/haushalt-2026")
        #expect(summary.body["openDownloads"] == 2, "\(summary.body)")
        let kinds = try setup.running.context.audit.kinds()
        #expect(kinds.filter { $0 == "catalog.open.download" }.count == 2)
        let entries = try setup.running.context.database.read { tx in
            try setup.running.context.audit.log.entries(0..<(try setup.running.context.audit.log.size(in: tx)), in: tx)
                .map { try $0.value() }
        }
        let download = try #require(entries.last { $0["kind"]?.stringValue == "catalog.open.download" })
        #expect(download["fields"]?["dataset"]?.stringValue == "haushalt-2026")
        #expect(download["fields"]?.objectValue.map { Set($0.keys) } == ["dataset", "version", "bytes"], "no client data")

        // The source file changes (or goes): what is served stays the published version's snapshot, matching its ETag.
        try Data("ganz andere Zahlen\n".utf8).write(to: URL(fileURLWithPath: setup.file))
        let again = try Self.request(setup.running, "/open/haushalt-2026")
        #expect(again.status.code == 200 && again.body == bytes)
        #expect(again.headers["ETag"] == "\"sha256-\(Hex.encode(sha))\"")
        try FileManager.default.removeItem(atPath: setup.file)
        #expect(try Self.request(setup.running, "/open/haushalt-2026").body == bytes)
    }

    @Test func onlyOpenFileDatasetsAreServedAndOnlyOnThePublicListener() throws {
        let setup = try Self.start()
        defer { setup.running.stop() }
        #expect(try Self.publish(setup, ["id": "offen", "open": true]).status == 201)
        #expect(try Self.publish(setup, ["id": "gelistet", "transparency": true]).status == 201)
        #expect(try Self.publish(setup, ["id": "intern"]).status == 201)
        for id in ["gelistet", "intern", "unbekannt"] {
            #expect(try Self.request(setup.running, "/open/\(id)").status.code == 404, "\(id)")
            #expect(try Self.request(setup.running, "/open/\(id)", method: .head).status.code == 404, "\(id)")
        }
        // The management listener does not serve it (it is not a public route there).
        let management = try CatalogHarness.management(setup.running, .get, "/open/offen")
        #expect(management.status == 404 || management.status == 401, "\(management)")
        // Removed: gone from the public listener too.
        #expect(try Self.request(setup.running, "/open/offen").status.code == 200)
        #expect(try CatalogHarness.management(setup.running, .delete, "/api/catalog/datasets/offen").status == 200)
        #expect(try Self.request(setup.running, "/open/offen").status.code == 404)
    }

    @Test func hostilePathsAreRefusedWithoutHarm() throws {
        let setup = try Self.start()
        defer { setup.running.stop() }
        #expect(try Self.publish(setup, ["id": "offen", "open": true]).status == 201)
        let hostile = ["/open/..", "/open/../api/catalog/datasets", "/open/%2e%2e", "/open/%2e%2e%2fetc%2fpasswd", "/open/a%2Fb",
                       "/open/offen%2F..", "/open/offen/..", "/open/%00", "/open/%ff", "/open/offen/extra", "/open/",
                       "/open/" + String(repeating: "a", count: 4000), "/open/" + String(repeating: "%41", count: 2000),
                       "/open/offen?x=" + String(repeating: "b", count: 3000)]
        for target in hostile {
            let response = try Self.request(setup.running, target)
            let allowed: Set<Int> = target.hasPrefix("/open/offen?") ? [200, 414] : [400, 404, 414]
            #expect(allowed.contains(response.status.code), "\(target.prefix(60)): \(response.status.code)")
        }
        #expect(try Self.request(setup.running, "/open/" + String(repeating: "a", count: 9000)).status.code == 414)
        // Still serving afterwards.
        #expect(try Self.request(setup.running, "/open/offen").body == Array(Self.content.utf8))
    }

    @Test func publishRefusesOpenWhereItCannotHold() throws {
        let setup = try Self.start()
        defer { setup.running.stop() }
        let api = try Self.publish(setup, ["file": "", "open": true,
                                           "upstream": ["base": "http://127.0.0.1:9/haushalt", "pathPrefixes": ["/v1"]]])
        #expect(api.status == 400)
        #expect(api.body["error"]?.stringValue?.contains("open") == true, "\(api.body)")
        let restricted = try Self.publish(setup, ["open": true,
                                                  "accessRights": "http://publications.europa.eu/resource/authority/access-right/RESTRICTED"])
        #expect(restricted.status == 400 && restricted.body["error"]?.stringValue?.contains("open") == true, "\(restricted.body)")
        let unlisted = try Self.publish(setup, ["open": true, "transparency": false])
        #expect(unlisted.status == 400 && unlisted.body["error"]?.stringValue?.contains("open") == true, "\(unlisted.body)")
        let notBool = try Self.publish(setup, ["open": "yes"])
        #expect(notBool.status == 400)
        #expect(try CatalogStore(database: setup.running.context.database).count() == 0)
    }

    @Test func theHarvestEndpointListsTheDownloadURLOfOpenDataOnly() throws {
        let setup = try Self.start()
        defer { setup.running.stop() }
        #expect(try Self.publish(setup, ["id": "urn:haushalt:2026", "open": true, "availability": "STABLE"]).status == 201)
        #expect(try Self.publish(setup, ["id": "vertrag", "transparency": true]).status == 201)
        let response = try HarvestEndpointTests.get(setup.running, "/dcat/catalog")
        let turtle = String(decoding: response.body, as: UTF8.self)
        #expect(turtle.contains("dcat:downloadURL <https://opendata.jena.example/open/urn:haushalt:2026>"), "\(turtle)")
        #expect(turtle.contains("access-right/PUBLIC>") && turtle.contains("access-right/RESTRICTED>"))
        #expect(turtle.components(separatedBy: "dcat:downloadURL").count == 2, "only the open dataset has one")
        #expect(turtle.contains("Dataspace Protocol"), "the contract dataset says how to request it")
        #expect(turtle.contains("planned-availability/STABLE>"))
        // The listed URL serves the file.
        #expect(try Self.request(setup.running, "/open/urn:haushalt:2026").body == Array(Self.content.utf8))
        if let result = try DCATShapesTests.validate(["catalog.ttl": turtle], profile: .v3) {
            #expect(result.status == 0, "\(result.output)")
        }
    }
}
