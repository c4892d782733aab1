import Foundation
import Testing
import VerbundHTTP
import VerbundJSON
import VerbundTestSupport
import VerbundTransport
@testable import VerbundCLI
@testable import VerbundConnector

/// Protokoll's log entries: `GET /api/audit/entries` filters by kind, identifier and days in the database, pages, and
/// refuses hostile values; the console's form shows the same, escaped, to roles that may read the log.
@Suite(.offCooperativePool) struct ConsoleAuditEntriesTests {
    static func day(_ offset: Double) -> String {
        XSDDateTimeDay.format(Date().addingTimeInterval(offset * 86_400))
    }

    @Test func entriesAreFilteredPagedAndRefusedWhenHostile() throws {
        let fixture = try FederationFixture(members: ["a"])
        let running = try fixture.start("a", modules: ConnectorModules.all(limits: ConnectorLimits()))
        defer { running.stop() }
        let audit = running.context.audit
        try audit.record(AuditEvent(kind: "negotiation.agreed", fields: ["agreementId": .string("urn:a:1"), "dataset": .string("parken")]))
        try audit.record(AuditEvent(kind: "transfer.completed", fields: ["pid": .string("urn:t:1"), "agreementId": .string("urn:a:1")]))
        try audit.record(AuditEvent(kind: "catalog.dataset.published", fields: ["dataset": .string("wetter"),
                                                                               "title": .string(ConsoleRouteTests.hostile)]))
        func entries(_ query: String) throws -> (status: Int, kinds: [String], total: String?) {
            let answer = try running.management("/api/audit/entries" + query)
            let list = (try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])?["entries"] as? [[String: Any]] ?? []
            return (answer.status.code, list.compactMap { ($0["entry"] as? [String: Any])?["kind"] as? String }, answer.headers["X-Total-Count"])
        }
        #expect(try entries("?kind=negotiation").kinds == ["negotiation.agreed"])
        #expect(try entries("?kind=negotiation.agreed").kinds == ["negotiation.agreed"])
        #expect(try entries("?kind=negotiatio").kinds.isEmpty, "a prefix counts only up to a dot")
        #expect(try entries("?id=urn%3Aa%3A1").kinds == ["transfer.completed", "negotiation.agreed"], "newest first")
        #expect(try entries("?id=urn%3Aa%3A1&kind=transfer").kinds == ["transfer.completed"])
        #expect(try entries("?id=wetter").kinds == ["catalog.dataset.published"])
        #expect(try entries("?from=\(Self.day(1))").kinds.isEmpty)
        #expect(try entries("?until=\(Self.day(-1))").kinds.isEmpty)
        #expect(try entries("?from=\(Self.day(0))&until=\(Self.day(0))&id=parken").kinds == ["negotiation.agreed"])
        let page = try entries("?limit=1&offset=1&id=urn%3Aa%3A1")
        #expect(page.kinds == ["negotiation.agreed"] && page.total == "2")
        for hostile in ["kind=", "kind=Negotiation", "kind=.x", "kind=x.", "kind=a%27%20OR%201%3D1", "id=", "id=a%01b",
                        "id=" + String(repeating: "x", count: 1001), "from=2026-02-30", "from=x", "until=2026-1-1",
                        "from=\(Self.day(1))&until=\(Self.day(-1))", "limit=0", "limit=1001", "offset=3"] {
            #expect(try entries("?" + hostile).status == 400, "\(hostile)")
        }

        // The console: the auditor filters in the form; the viewer may not read the log.
        let accounts = try ConsoleRouteTests.accounts(running)
        let auditor = ConsoleRouteTests.Browser(port: running.connector.managementPort)
        try auditor.login(accounts[.auditor]!.name, accounts[.auditor]!.secret)
        let filtered = ConsoleRouteTests.text(try auditor.send(.get, "/console/audit?art=transfer&kennung=urn%3Aa%3A1"))
        #expect(filtered.contains("<td>transfer.completed</td>") && !filtered.contains("<td>negotiation.agreed</td>"))
        #expect(filtered.contains("Passende Einträge: 1") && filtered.contains("value=\"urn:a:1\""))
        let all = ConsoleRouteTests.text(try auditor.send(.get, "/console/audit"))
        #expect(all.contains("catalog.dataset.published") && !all.contains("<script>alert") && !all.contains("<img src=x"))
        let refused = try auditor.send(.get, "/console/audit?von=kein-datum")
        #expect(refused.status.code == 200 && ConsoleRouteTests.text(refused).contains("from must be a day"))
        let viewer = ConsoleRouteTests.Browser(port: running.connector.managementPort)
        try viewer.login(accounts[.viewer]!.name, accounts[.viewer]!.secret)
        #expect(try viewer.send(.get, "/console/audit").status.code == 403)
    }

    @Test func theFilterIsReadAsAValue() throws {
        func filter(_ pairs: [(String, String)]) throws -> AuditLogFilter {
            let query = pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
            return try AuditLogFilter.requested(try HTTPRequestTarget("/api/audit/entries" + (query.isEmpty ? "" : "?" + query)).query)
        }
        #expect(try filter([]) == AuditLogFilter())
        let read = try filter([("kind", "transfer"), ("id", "urn:t:1"), ("from", "2026-01-01"), ("until", "2026-01-01")])
        #expect(read.kind == "transfer" && read.id == "urn:t:1" && read.from == 1_767_225_600_000 && read.before == 1_767_312_000_000)
        #expect((try? filter([("until", "2024-02-29")])) != nil && (try? filter([("until", "2023-02-29")])) == nil)
    }
}

/// `YYYY-MM-DD` in UTC.
enum XSDDateTimeDay {
    static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}
