import Foundation
import Testing
import VerbundTestSupport
import VerbundHTTP
import VerbundJSON
import VerbundTransport
@testable import VerbundCLI
@testable import VerbundConnector

/// Katalog: the crawled federated catalog in the consumer's console, a crawl button, and "Verhandeln" with a purpose.
@Suite(.offCooperativePool) struct ConsoleCatalogTests {
    @Test func aStewardFindsAPartnersDatasetAndNegotiates() throws {
        let fixture = try FederationFixture(members: ["p", "c"])
        let provider = try fixture.start("p", modules: ConnectorModules.all(limits: ConnectorLimits()))
        defer { provider.stop() }
        let consumer = try fixture.start("c", modules: ConnectorModules.all(limits: ConnectorLimits()))
        defer { consumer.stop() }
        let folder = TemporaryFolder("console-catalog")
        let file = try CatalogHarness.dataFile(folder, "baustellen.csv", "ort;bis\nMarkt;2027-01-31\n")
        let published = try CatalogHarness.management(provider, .post, "/api/catalog/datasets", json: [
            "file": .string(file), "title": .string("Baustellen <b>Jena</b>"), "description": "Baustellen im Stadtgebiet",
            "keywords": ["Verkehr"],
            "policy": ["permission": [["action": "use", "constraint": [["leftOperand": "purpose", "operator": "eq",
                                                                        "rightOperand": "Verkehrsplanung"]]]]],
        ])
        #expect(published.status == 201, "\(published.body)")
        let dataset = try #require(published.body["id"]?.stringValue)
        let accounts = try ConsoleRouteTests.accounts(consumer)
        let steward = ConsoleRouteTests.Browser(port: consumer.connector.managementPort)
        try steward.login(accounts[.steward]!.name, accounts[.steward]!.secret)
        #expect(ConsoleRouteTests.text(try steward.send(.get, "/console/")).contains("href=\"/console/catalog\""))
        let csrf = try steward.csrf(on: "/console/catalog")
        #expect(try steward.send(.post, "/console/catalog/crawl", form: [:]).status.code == 403)
        let crawled = try steward.send(.post, "/console/catalog/crawl", form: ["csrf": csrf])
        #expect(crawled.status.code == 200, "\(ConsoleRouteTests.text(crawled))")

        let page = try steward.send(.get, "/console/catalog?suche=Baustellen&schlagwort=Verkehr")
        let html = ConsoleRouteTests.text(page)
        #expect(page.status.code == 200)
        ConsoleRouteTests.expectSecurityHeaders(page, "catalog")
        #expect(html.contains("Baustellen &lt;b&gt;Jena&lt;/b&gt;") && html.contains("purpose Verkehrsplanung") && html.contains(dataset), "\(html)")
        #expect(html.contains("action=\"/console/catalog/negotiate\"") && html.contains("<label for=\"z-0-0\">"))
        #expect(!ConsoleRouteTests.text(try steward.send(.get, "/console/catalog?suche=Schwimmbad")).contains(dataset))
        let hostile = ConsoleRouteTests.text(try steward.send(.get, "/console/catalog?suche=" + (ConsoleRouteTests.hostile
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")))
        #expect(!hostile.contains("<script>alert") && !hostile.contains("<img"))

        let form = ["peer": "p", "dataset": dataset, "purpose": "Verkehrsplanung"]
        #expect(try steward.send(.post, "/console/catalog/negotiate", form: form).status.code == 403, "no token")
        let auditor = ConsoleRouteTests.Browser(port: consumer.connector.managementPort)
        try auditor.login(accounts[.auditor]!.name, accounts[.auditor]!.secret)
        #expect(!ConsoleRouteTests.text(try auditor.send(.get, "/console/catalog")).contains("/console/catalog/negotiate"))
        let auditorToken = try auditor.csrf(on: "/console/")
        #expect(try auditor.send(.post, "/console/catalog/negotiate", form: form.merging(["csrf": auditorToken]) { $1 }).status.code == 403)
        #expect(try auditor.send(.post, "/console/catalog/crawl", form: ["csrf": auditorToken]).status.code == 403)
        let viewer = ConsoleRouteTests.Browser(port: consumer.connector.managementPort)
        try viewer.login(accounts[.viewer]!.name, accounts[.viewer]!.secret)
        #expect(try viewer.send(.get, "/console/catalog").status.code == 403)
        #expect(try CatalogHarness.management(consumer, .get, "/api/negotiations").body["negotiations"]?.arrayValue?.isEmpty == true)

        // An unknown peer: the API's refusal, shown.
        let unknown = try steward.send(.post, "/console/catalog/negotiate", form: ["csrf": csrf, "peer": "niemand", "dataset": dataset])
        #expect(unknown.status.code >= 400 && unknown.status.code < 500, "\(ConsoleRouteTests.text(unknown))")
        let started = try steward.send(.post, "/console/catalog/negotiate", form: form.merging(["csrf": csrf]) { $1 })
        let startedHTML = ConsoleRouteTests.text(started)
        #expect(started.status.code == 200 && startedHTML.contains("Kennung: urn:uuid:"), "\(startedHTML)")
        let deadline = Date().addingTimeInterval(20)
        var state = ""
        while Date() < deadline, state != "FINALIZED" {
            state = try CatalogHarness.management(consumer, .get, "/api/negotiations").body["negotiations"]?.arrayValue?.first?["state"]?.stringValue ?? ""
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(state == "FINALIZED")
        let negotiations = try CatalogHarness.management(consumer, .get, "/api/negotiations").body["negotiations"]?.arrayValue ?? []
        #expect(negotiations.first?["purpose"]?.stringValue == "Verkehrsplanung" && negotiations.count == 1)
    }
}
