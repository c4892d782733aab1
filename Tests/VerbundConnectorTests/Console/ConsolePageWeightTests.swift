import Foundation
import Testing
import VerbundTestSupport
import VerbundHTTP
import VerbundTransport
@testable import VerbundCLI
@testable import VerbundConnector

/// Every console page stays under 100 KB (HTML + CSS + JS) with 10 000 datasets, and how long each takes to answer on
/// loopback (median of 15 requests, the whole exchange); the numbers are in docs/performance.md, "Console pages".
@Suite(.offCooperativePool) struct ConsolePageWeightTests {
    @Test func pagesStaySmallWithTenThousandDatasets() throws {
        let fixture = try FederationFixture(members: ["a", "b"])
        let running = try fixture.start("a", modules: ConnectorModules.all(limits: ConnectorLimits()))
        defer { running.stop() }
        let accounts = try ConsoleRouteTests.accounts(running)
        try CatalogHarness.insert(running, (0..<10_000).map { index in
            CatalogHarness.record(String(format: "urn:uuid:00000000-0000-4000-8000-%012d", index), title: "Parkhaus Nummer \(index) – Belegung")
        })
        let browser = ConsoleRouteTests.Browser(port: running.connector.managementPort)
        try browser.login(accounts[.operator]!.name, accounts[.operator]!.secret)
        let css = try browser.send(.get, "/console/style.css").body.count
        let script = try browser.send(.get, "/console/transfers.js").body.count
        var report: [String] = []
        for page in ["/console/login", "/console/", "/console/datasets", "/console/datasets?seite=200", "/console/datasets/new",
                     "/console/negotiations", "/console/transfers", "/console/federation", "/console/audit", "/console/accounts"] {
            var times: [Double] = []
            var bytes = 0
            for _ in 0..<15 {
                let start = ContinuousClock.now
                let answer = try browser.send(.get, page)
                let elapsed = ContinuousClock.now - start
                #expect(answer.status.code == 200, "\(page)")
                bytes = answer.body.count
                times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
            }
            let weight = bytes + css + (page == "/console/transfers" ? script : 0)
            #expect(weight < 100_000, "\(page): \(weight) bytes")
            times.sort()
            report.append(String(format: "%-30@ %7d bytes (HTML %6d) %8.1f ms median, %8.1f ms max", page as NSString, weight, bytes,
                                 times[times.count / 2], times.last!))
        }
        let last = ConsoleRouteTests.text(try browser.send(.get, "/console/datasets?seite=200"))
        #expect(last.contains("Seite 200 von 200") && last.contains("Parkhaus Nummer 9999") && !last.contains("Parkhaus Nummer 9949 "))
        #expect(ConsoleRouteTests.text(try browser.send(.get, "/console/datasets?seite=999")).contains("Seite 200 von 200"))
        let second = ConsoleRouteTests.text(try browser.send(.get, "/console/datasets?seite=2"))
        #expect(second.contains("Parkhaus Nummer 50 ") && second.contains("Parkhaus Nummer 99 ") && !second.contains("Parkhaus Nummer 100 "))
        // The API's page: limit and offset, the total in X-Total-Count; bad values are refused.
        var headers = HTTPHeaders()
        headers.set("Authorization", "Bearer \(running.connector.managementToken.value)")
        func api(_ target: String) throws -> HTTPClientResponse {
            try HTTPClient().send(HTTPClientRequest(method: .get, host: "127.0.0.1", port: running.connector.managementPort,
                                                    target: target, headers: headers))
        }
        let page = try api("/api/catalog/datasets?limit=3&offset=9998")
        #expect(page.headers["X-Total-Count"] == "10000")
        #expect((try JSONSerialization.jsonObject(with: Data(page.body)) as? [[String: Any]])?.count == 2)
        for bad in ["limit=0", "limit=1001", "limit=x", "limit=5&offset=-1", "offset=5", "limit=5&offset=99999999999"] {
            #expect(try api("/api/catalog/datasets?" + bad).status.code == 400, "\(bad)")
        }
        print("console page weight and time with 10 000 datasets:\n" + report.joined(separator: "\n"))
    }

    @Test func pagingIsBounded() {
        #expect(ConsolePaging(count: 0, requested: nil).range == 0..<0)
        #expect(ConsolePaging(count: 120, requested: "2").range == 50..<100)
        #expect(ConsolePaging(count: 120, requested: "3").range == 100..<120)
        #expect(ConsolePaging(count: 120, requested: "99").page == 3)
        for hostile in ["0", "-5", "x", "1e9", "99999999999999999999", "<script>"] {
            #expect(ConsolePaging(count: 120, requested: hostile).page == 1, "\(hostile)")
        }
        #expect(ConsolePaging(count: 120, requested: "2").navigation("/console/datasets", .de, label: "D")
                .contains("<a href=\"/console/datasets?seite=1\">Zurück</a> Seite 2 von 3 <a href=\"/console/datasets?seite=3\">Weiter</a>"))
        #expect(ConsolePaging(count: 50, requested: nil).navigation("/console/datasets", .de, label: "D").isEmpty)
    }
}
