import Foundation
import Testing
import VerbundDataspace
import VerbundHTTP
import VerbundJSON
import VerbundTestSupport
import VerbundTransport
@testable import VerbundCLI
@testable import VerbundConnector

/// The public listener of a running daemon (`publicListen`): two connectors with the modules `verbund serve` runs; the
/// provider publishes a public file dataset (CLI `--public`), a public API dataset with a credential (an account through
/// the API) and an unlisted one; the consumer negotiates for two of them and fetches one. The public page and its JSON
/// show exactly the listed datasets, the contract with its purpose and the transfer, and the tree head — and none of
/// the secrets or private details the connector holds.
@Suite(.offCooperativePool) struct PublicListenerTests {
    static let upstreamToken = "geheimes-upstream-token-4711"
    static let hiddenTitle = "Interne Personalliste"

    final class Bed: Sendable {
        let fixture: FederationFixture
        let folder: TemporaryFolder
        let provider: RunningConnector
        let consumer: RunningConnector
        let secrets: [String]

        init() throws {
            let fixture = try FederationFixture(members: ["p", "c"], ags: ["p": "16053000"])
            self.fixture = fixture
            let modules = { ConnectorModules.all(limits: ConnectorLimits()) }
            provider = try NegotiationTestbed.retryingBind {
                try fixture.start("p", modules: modules(), adjust: { $0.publicListen = "127.0.0.1:0" })
            }
            consumer = try NegotiationTestbed.retryingBind { try fixture.start("c", modules: modules()) }
            let folder = TemporaryFolder("verbund-public")
            self.folder = folder
            let configuration = try fixture.configuration("p")
            let data = try CatalogHarness.dataFile(folder, "parken.csv", "haus;frei\nMitte;12\n")
            let credential = folder.file("upstream.token")
            try Data((PublicListenerTests.upstreamToken + "\n").utf8).write(to: URL(fileURLWithPath: credential))
            chmod(credential, 0o600)
            secrets = [provider.connector.managementToken.value, configuration.keyFile, configuration.certificateFile,
                       configuration.dataDirectory, configuration.federation.root, fixture.root.path, data, credential,
                       PublicListenerTests.upstreamToken, "geheim-upstream", "PRIVATE KEY", PublicListenerTests.hiddenTitle,
                       "kaemmerei.meier", "snapshots", "Bearer", "Basic"]
        }

        func config(_ id: String) -> String { fixture.members[id]!.configurationFile }

        func run(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
            let console = CapturedConsole()
            let status = VerbundCommandLine.main(arguments, console: console)
            return (status, console.standardOutput, console.standardError)
        }

        func get(_ target: String, method: HTTPMethod = .get, headers: [(String, String)] = []) throws -> HTTPClientResponse {
            var fields = HTTPHeaders()
            for (name, value) in headers { fields.set(name, value) }
            let port = try #require(provider.connector.publicPort)
            return try HTTPClient().send(HTTPClientRequest(method: method, host: "127.0.0.1", port: port, target: target, headers: fields))
        }

        func stop() {
            consumer.stop()
            provider.stop()
        }

        /// Publishes the three datasets, makes two contracts and one transfer; returns the agreement of the fetched one.
        func populate() throws {
            let data = try CatalogHarness.dataFile(folder, "parken.csv", "haus;frei\nMitte;12\n")
            let published = run(["datasets", "publish", "--config", config("p"), "--file", data, "--id", "parken",
                                 "--title", "Parkhausbelegung", "--description", "Freie Plätze je Parkhaus in der Innenstadt",
                                 "--license", "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
                                 "--theme", "http://publications.europa.eu/resource/authority/data-theme/TRAN",
                                 "--temporal-start", "2024-01-01", "--access-rights", "PUBLIC",
                                 "--conforms-to", "https://schema.example.org/parken/1.0", "--public"])
            #expect(published.status == 0, "\(published.err)")
            #expect(published.out.contains("public"), "\(published.out)")
            let hidden = run(["datasets", "publish", "--config", config("p"), "--file", data, "--id", "intern",
                              "--title", PublicListenerTests.hiddenTitle, "--description", "Nur intern"])
            #expect(hidden.status == 0, "\(hidden.err)")

            let account = run(["accounts", "add", "kaemmerei.meier", "--role", "steward", "--config", config("p"), "--json"])
            #expect(account.status == 0, "\(account.err)")
            let secret = try #require(try JSONDecoder().decode(JSONValue.self, from: Data(account.out.utf8))["secret"]?.stringValue)
            let body: JSONValue = [
                "id": "sensoren", "title": "Sensoren", "description": "Messwerte der Luftgütesensoren", "transparency": true,
                "upstream": ["base": "http://127.0.0.1:9/geheim-upstream", "pathPrefixes": ["/v1"],
                             "credentialFile": .string(folder.file("upstream.token")), "credentialKind": "bearer"],
            ]
            var headers = HTTPHeaders()
            headers.set("Authorization", "Basic " + Data("kaemmerei.meier:\(secret)".utf8).base64EncodedString())
            headers.set("Content-Type", "application/json")
            let api = try HTTPClient().send(HTTPClientRequest(method: .post, host: "127.0.0.1", port: provider.connector.managementPort,
                                                              target: "/api/catalog/datasets", headers: headers,
                                                              body: try CanonicalJSON.encode(body)))
            #expect(api.status.code == 201, "\(String(decoding: api.body, as: UTF8.self))")

            for (dataset, purpose) in [("parken", "Verkehrsplanung"), ("intern", "Personalplanung")] {
                let agreed = run(["negotiate", "--config", config("c"), "--peer", "p", "--dataset", dataset, "--purpose", purpose])
                #expect(agreed.status == 0, "\(agreed.err)")
                if dataset == "parken" {
                    let agreement = agreed.out.trimmingCharacters(in: .whitespacesAndNewlines)
                    let fetched = run(["fetch", "--config", config("c"), "--agreement", agreement, "--out", folder.file("geholt.csv")])
                    #expect(fetched.status == 0, "\(fetched.err)")
                }
            }
        }
    }

    @Test func thePageAndItsJSONShowWhatIsListedAndNoSecret() throws {
        let bed = try Bed()
        defer { bed.stop() }
        try bed.populate()
        // The audit worker signs a head over the new entries within its interval (1 s).
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let body = try bed.get("/transparency.json").body
            if let size = try JSONDecoder.catalog.decode(TransparencyReport.self, from: Data(body)).treeHead?.size, size > 0 { break }
            Thread.sleep(forTimeInterval: 0.1)
        }

        let german = try bed.get("/")
        let page = String(decoding: german.body, as: UTF8.self)
        #expect(german.status.code == 200)
        #expect(german.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(german.headers["Content-Security-Policy"]?.hasPrefix("default-src 'self'") == true)
        #expect(page.contains("<html lang=\"de\">") && page.contains("Geteilte Datensätze"))
        for expected in ["Parkhausbelegung", "Freie Plätze je Parkhaus", "Sensoren", "Stadt c", "Verkehrsplanung", "dl-by-de/2.0",
                         "<td class=\"number\">1</td><td class=\"number\">1</td>", "Einträge im Protokoll"] {
            #expect(page.contains(expected), "missing \(expected)")
        }
        #expect(!page.contains("<script") && !page.contains("style=") && !page.contains("http://fonts"))
        let english = try bed.get("/?lang=en")
        #expect(String(decoding: english.body, as: UTF8.self).contains("<html lang=\"en\">"))
        let accepted = try bed.get("/", headers: [("Accept-Language", "en-GB,en;q=0.9,de;q=0.5")])
        #expect(String(decoding: accepted.body, as: UTF8.self).contains("Shared datasets"))
        #expect(accepted.headers["Content-Language"] == "en")

        let json = try bed.get("/transparency.json")
        #expect(json.status.code == 200 && json.headers["Content-Type"] == "application/json")
        let report = try JSONDecoder.catalog.decode(TransparencyReport.self, from: Data(json.body))
        #expect(report.datasets.map(\.id).sorted() == ["parken", "sensoren"])
        #expect(report.datasets.first { $0.id == "parken" }?.accessRights?.hasSuffix("access-right/PUBLIC") == true)
        let partnership = try #require(report.partnerships.first)
        #expect(report.partnerships.count == 1)
        #expect(partnership.dataset == "parken" && partnership.partner == "c" && partnership.partnerName == "Stadt c")
        #expect(partnership.purposes == ["Verkehrsplanung"] && partnership.contracts == 1 && partnership.transfers == 1)
        let head = try #require(report.treeHead)
        #expect(head.size > 0 && head.rootHash.count == 64)

        let turtle = try bed.get("/dcat/catalog")
        let dcat = String(decoding: turtle.body, as: UTF8.self)
        #expect(turtle.headers["Content-Type"] == "text/turtle; charset=utf-8")
        #expect(dcat.contains("Parkhausbelegung") && dcat.contains("Sensoren") && dcat.contains("schema.example.org/parken/1.0"))
        #expect(dcat.contains("dcat:startDate"))

        // Nothing secret or private on any public answer: the whole bodies and headers.
        for answer in [german, english, accepted, json, turtle] {
            let text = String(decoding: answer.body, as: UTF8.self) + answer.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
            for secret in bed.secrets {
                #expect(!text.contains(secret), "a public answer contains \(secret)")
            }
        }
    }

    @Test func onlyReadingIsServedAndTheStylesheetComesFromTheSameOrigin() throws {
        let bed = try Bed()
        defer { bed.stop() }
        let css = try bed.get("/style.css")
        #expect(css.status.code == 200 && css.headers["Content-Type"] == "text/css; charset=utf-8")
        let head = try bed.get("/", method: .head)
        #expect(head.status.code == 200 && head.body.isEmpty)
        #expect(try bed.get("/", method: .post).status.code == 405)
        #expect(try bed.get("/dcat/catalog", method: .delete).status.code == 405)
        #expect(try bed.get("/api/catalog/datasets").status.code == 404)
        #expect(try bed.get("/console/").status.code == 404)
        #expect(try bed.get("/dsp/catalog/request").status.code == 404)
        let empty = String(decoding: try bed.get("/").body, as: UTF8.self)
        #expect(empty.contains("Derzeit sind keine Datensätze öffentlich aufgeführt."))
    }
}
