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
                     "/console/catalog",
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

/// The contract and transfer pages with 10 000 contracts and 10 000 transfers: copies of a real contract's negotiation
/// row and of a real transfer's row, made in SQL (only the keys differ), on the consumer of `ConsoleContractTests`.
@Suite(.offCooperativePool) struct ConsoleContractPageWeightTests {
    @Test func pagesStaySmallWithTenThousandContracts() throws {
        let scenario = try ConsoleContractTests.Scenario()
        defer { scenario.harness.stopAll() }
        let consumer = scenario.harness.running["c"]!
        try consumer.context.database.transaction { tx in
            try tx.execute("CREATE TEMP TABLE negotiation_copy AS SELECT * FROM negotiation WHERE state = 'FINALIZED'")
            try tx.execute("CREATE TEMP TABLE transfer_copy AS SELECT * FROM transfer_process")
            for index in 0..<10_000 {
                try tx.execute("UPDATE negotiation_copy SET local_pid = ?, peer_pid = ?, agreement_id = ?",
                               [.text("urn:uuid:copy-n-\(index)"), .text("urn:uuid:copy-p-\(index)"), .text("urn:uuid:copy-a-\(index)")])
                try tx.execute("INSERT INTO negotiation SELECT * FROM negotiation_copy")
                try tx.execute("UPDATE transfer_copy SET local_pid = ?, consumer_pid = ?",
                               [.text("urn:uuid:copy-t-\(index)"), .text("urn:uuid:copy-c-\(index)")])
                try tx.execute("INSERT INTO transfer_process SELECT * FROM transfer_copy")
            }
            try tx.execute("DROP TABLE negotiation_copy")
            try tx.execute("DROP TABLE transfer_copy")
        }
        // The pages are chosen by walking an index (migrations 22 and 36), not by sorting every row.
        let plans = try consumer.context.database.read { tx in
            try [("negotiations", NegotiationTable.pageQuery(finalizedOnly: false), "negotiation_created"),
                 ("contracts", NegotiationTable.pageQuery(finalizedOnly: true), "negotiation_contract_created"),
                 ("transfers", TransferTable.pageQuery, "transfer_process_created")].map { what, query, index in
                let plan = try tx.query("EXPLAIN QUERY PLAN " + query, [.integer(50), .integer(9950)])
                    .map { try $0.string("detail") }
                return (what, plan, index)
            }
        }
        for (what, plan, index) in plans {
            print("query plan of the \(what) page: \(plan.joined(separator: " | "))")
            #expect(plan.contains { $0.contains("USING") && $0.contains(index) }, "\(what): \(plan)")
        }
        let auditor = try scenario.browser("c", .auditor)
        let css = try auditor.send(.get, "/console/style.css").body.count
        let script = try auditor.send(.get, "/console/transfers.js").body.count
        var report: [String] = []
        for page in ["/console/negotiations", "/console/negotiations?vertraege=200", "/console/transfers", "/console/transfers?seite=200",
                     "/console/transfers/progress", "/console/contracts/" + ConsoleRoutes.pathComponent(scenario.agreementId)] {
            var times: [Double] = []
            var bytes = 0
            for _ in 0..<15 {
                let start = ContinuousClock.now
                let answer = try auditor.send(.get, page)
                let elapsed = ContinuousClock.now - start
                #expect(answer.status.code == 200, "\(page)")
                bytes = answer.body.count
                times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
            }
            let weight = bytes + (page.hasSuffix("/progress") ? 0 : css) + (page.hasPrefix("/console/transfers?") || page == "/console/transfers" ? script : 0)
            #expect(weight < 100_000, "\(page): \(weight) bytes")
            times.sort()
            report.append(String(format: "%-40@ %7d bytes (body %6d) %8.1f ms median, %8.1f ms max", page as NSString, weight, bytes,
                                 times[times.count / 2], times.last!))
        }
        let negotiations = ConsoleRouteTests.text(try auditor.send(.get, "/console/negotiations?vertraege=200"))
        #expect(negotiations.contains("Seite 200 von 201") || negotiations.contains("Seite 201 von 201"), "\(negotiations.suffix(600))")
        let transfers = ConsoleRouteTests.text(try auditor.send(.get, "/console/transfers?seite=999"))
        #expect(transfers.contains("von 201") && transfers.contains("<tr data-pid="))
        print("console page weight and time with 10 000 contracts and transfers:\n" + report.joined(separator: "\n"))

        // The API's pages of the three lists: the total, the page's length, the newest first, bad values refused.
        for (path, key, total) in [("/api/negotiations", "negotiations", 10_001), ("/api/contracts", "contracts", 10_001),
                                   ("/api/transfers", "transfers", 10_001)] {
            let page = try consumer.management(path + "?limit=7&offset=9997")
            #expect(page.status.code == 200 && page.headers["X-Total-Count"] == String(total), "\(path)")
            let list = (try JSONSerialization.jsonObject(with: Data(page.body)) as? [String: Any])?[key] as? [[String: Any]]
            #expect(list?.count == 4, "\(path)")
            let whole = try consumer.management(path)
            #expect(whole.headers["X-Total-Count"] == nil, "\(path): no page asked, no total")
            for bad in ["limit=0", "limit=1001", "offset=3", "limit=2&offset=-1", "limit=abc"] {
                #expect(try consumer.management(path + "?" + bad).status.code == 400, "\(path)?\(bad)")
            }
        }
        let newest = try consumer.management("/api/negotiations?limit=1")
        let first = (try JSONSerialization.jsonObject(with: Data(newest.body)) as? [String: Any])?["negotiations"] as? [[String: Any]]
        let all = try consumer.management("/api/negotiations")
        let firstOfAll = (try JSONSerialization.jsonObject(with: Data(all.body)) as? [String: Any])?["negotiations"] as? [[String: Any]]
        #expect(first?.first?["id"] as? String == firstOfAll?.first?["id"] as? String && firstOfAll?.count == 1000)
    }
}
