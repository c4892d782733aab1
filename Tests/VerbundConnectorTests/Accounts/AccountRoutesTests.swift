import Foundation
import Testing
import VerbundTestSupport
import VerbundHTTP
import VerbundJSON
import VerbundTransport
@testable import VerbundCLI
@testable import VerbundConnector

/// `/api/accounts` (operators only) and the console's Konten page on top of it.
@Suite(.offCooperativePool) struct AccountRoutesTests {
    static func send(_ running: RunningConnector, _ method: HTTPMethod, _ path: String, as authorization: String,
                     body: String? = nil) throws -> (status: Int, json: [String: Any], text: String) {
        var headers = HTTPHeaders()
        headers.set("Authorization", authorization)
        if body != nil { headers.set("Content-Type", "application/json") }
        let response = try HTTPClient().send(HTTPClientRequest(method: method, host: "127.0.0.1", port: running.connector.managementPort,
                                                               target: path, headers: headers, body: Array((body ?? "").utf8)))
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        return (response.status.code, json, String(decoding: response.body, as: UTF8.self))
    }

    @Test func operatorsManageAccountsThroughTheAPI() throws {
        let fixture = try FederationFixture(members: ["a"])
        let running = try fixture.start("a", modules: ConnectorModules.all(limits: ConnectorLimits()))
        defer { running.stop() }
        let accounts = try ConsoleRouteTests.accounts(running)
        let token = "Bearer \(running.connector.managementToken.value)"
        let audit = try running.context.audit.size()

        let added = try Self.send(running, .post, "/api/accounts", as: token, body: #"{"name":"kasse.jena","role":"auditor"}"#)
        #expect(added.status == 201, "\(added.text)")
        let secret = try #require(added.json["secret"] as? String)
        #expect(secret.count == 48 && added.json["role"] as? String == "auditor")
        // The drawn secret works at once, with the role given.
        let basic = AccountAccessTests.basic("kasse.jena", secret)
        #expect(try Self.send(running, .get, "/api/audit/sth", as: basic).status == 200)
        #expect(try Self.send(running, .get, "/api/accounts", as: basic).status == 403)
        let list = try Self.send(running, .get, "/api/accounts", as: token)
        let names = (list.json["accounts"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(names.contains("kasse.jena") && names.contains(accounts[.viewer]!.name))
        #expect(!list.text.contains(secret) && !list.text.contains("pbkdf2") && !list.text.contains("hash"))

        // Refusals: duplicate, bad name, the token file's name, unknown role, unknown field, no body.
        #expect(try Self.send(running, .post, "/api/accounts", as: token, body: #"{"name":"kasse.jena","role":"viewer"}"#).status == 409)
        for body in [#"{"name":"Kasse Jena","role":"viewer"}"#, #"{"name":"management.token","role":"viewer"}"#,
                     #"{"name":"x","role":"admin"}"#, #"{"name":"x","role":"viewer","secret":"selbstgewählt-1234"}"#, "", "[]",
                     #"{"name":"<script>","role":"viewer"}"#] {
            let answer = try Self.send(running, .post, "/api/accounts", as: token, body: body)
            #expect(answer.status == 400, "\(body): \(answer.text)")
            #expect(answer.json["error"] is String, "\(body): a JSON error with the reason")
        }

        // Reset: a new secret, the old one stops working.
        let reset = try Self.send(running, .post, "/api/accounts/kasse.jena/reset", as: token)
        let newSecret = try #require(reset.json["secret"] as? String)
        #expect(reset.status == 200 && newSecret != secret && reset.json["role"] as? String == "auditor")
        #expect(try Self.send(running, .get, "/api/audit/sth", as: basic).status == 401)
        #expect(try Self.send(running, .get, "/api/audit/sth", as: AccountAccessTests.basic("kasse.jena", newSecret)).status == 200)
        #expect(try Self.send(running, .post, "/api/accounts/keines/reset", as: token).status == 404)

        // Every role but operator is refused, without touching anything.
        for role in [AccountRole.steward, .auditor, .viewer] {
            let caller = AccountAccessTests.basic(accounts[role]!.name, accounts[role]!.secret)
            #expect(try Self.send(running, .post, "/api/accounts", as: caller, body: #"{"name":"neu","role":"operator"}"#).status == 403)
            #expect(try Self.send(running, .delete, "/api/accounts/kasse.jena", as: caller).status == 403)
            #expect(try Self.send(running, .post, "/api/accounts/kasse.jena/reset", as: caller).status == 403)
        }
        #expect(try Self.send(running, .delete, "/api/accounts/kasse.jena", as: token).json["removed"] as? String == "kasse.jena")
        #expect(try Self.send(running, .delete, "/api/accounts/kasse.jena", as: token).status == 404)
        #expect(try AccountStore(database: running.context.database).stored("kasse.jena") == nil)

        // The audit log names who asked and never a secret.
        let entries = try AccountAccessTests.auditEntries(running.context, from: audit)
        let routes = entries.filter { $0["kind"]?.stringValue == "management.action" }.compactMap { $0["fields"]?["route"]?.stringValue }
        #expect(routes.contains("/api/accounts") && routes.contains("/api/accounts/:name/reset") && routes.contains("/api/accounts/:name"))
        let logged = try entries.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }.joined()
        #expect(!logged.contains(secret) && !logged.contains(newSecret))
        #expect(!running.log.all.joined().contains(secret) && !running.log.all.joined().contains(newSecret))
    }

    @Test func theKontenPageIsForOperators() throws {
        let fixture = try FederationFixture(members: ["a"])
        let running = try fixture.start("a", modules: ConnectorModules.all(limits: ConnectorLimits()))
        defer { running.stop() }
        let accounts = try ConsoleRouteTests.accounts(running)
        let operatorBrowser = ConsoleRouteTests.Browser(port: running.connector.managementPort)
        try operatorBrowser.login(accounts[.operator]!.name, accounts[.operator]!.secret)
        let page = ConsoleRouteTests.text(try operatorBrowser.send(.get, "/console/accounts"))
        #expect(page.contains("<td>\(accounts[.viewer]!.name)</td><td>viewer</td>") && page.contains("<label for=\"f-name\">"), "\(page)")
        #expect(ConsoleRouteTests.text(try operatorBrowser.send(.get, "/console/")).contains("href=\"/console/accounts\""))
        let csrf = try operatorBrowser.csrf(on: "/console/accounts")

        #expect(try operatorBrowser.send(.post, "/console/accounts/add", form: ["name": "neu", "role": "viewer"]).status.code == 403)
        let added = try operatorBrowser.send(.post, "/console/accounts/add", form: ["csrf": csrf, "name": "neu", "role": "viewer"])
        let addedHTML = ConsoleRouteTests.text(added)
        #expect(added.status.code == 200 && added.headers["Cache-Control"] == "no-store", "\(addedHTML)")
        let secret = String(addedHTML[try #require(addedHTML.range(of: "<code>neu: "))
            .upperBound...].prefix { $0 != "<" })
        #expect(secret.count == 48)
        let newcomer = ConsoleRouteTests.Browser(port: running.connector.managementPort)
        #expect(try newcomer.login("neu", secret).status.code == 303)
        #expect(try newcomer.send(.get, "/console/accounts").status.code == 403)
        #expect(!ConsoleRouteTests.text(try operatorBrowser.send(.get, "/console/accounts")).contains(secret))
        // Bad input shows the API's reason.
        let bad = try operatorBrowser.send(.post, "/console/accounts/add", form: ["csrf": csrf, "name": "<b>x</b>", "role": "viewer"])
        #expect(bad.status.code == 400 && ConsoleRouteTests.text(bad).contains("no account name") && !ConsoleRouteTests.text(bad).contains("<b>x"))
        #expect(try operatorBrowser.send(.post, "/console/accounts/add", form: ["csrf": csrf, "name": "neu", "role": "viewer"]).status.code == 409)

        // Reset ends the newcomer's session; remove deletes the account.
        let reset = try operatorBrowser.send(.post, "/console/accounts/neu/reset", form: ["csrf": csrf])
        #expect(reset.status.code == 200 && ConsoleRouteTests.text(reset).contains("<code>neu: "))
        #expect(try newcomer.send(.get, "/console/").status.code == 303)
        #expect(try operatorBrowser.send(.post, "/console/accounts/neu/remove", form: ["csrf": csrf]).status.code == 200)
        #expect(try AccountStore(database: running.context.database).stored("neu") == nil)
        #expect(try operatorBrowser.send(.post, "/console/accounts/neu/remove", form: ["csrf": csrf]).status.code == 404)

        for role in [AccountRole.steward, .auditor, .viewer] {
            let browser = ConsoleRouteTests.Browser(port: running.connector.managementPort)
            try browser.login(accounts[role]!.name, accounts[role]!.secret)
            let token = try browser.csrf(on: "/console/")
            #expect(try browser.send(.get, "/console/accounts").status.code == 403, "\(role)")
            #expect(try browser.send(.post, "/console/accounts/add", form: ["csrf": token, "name": "x", "role": "operator"]).status.code == 403)
            #expect(try browser.send(.post, "/console/accounts/\(accounts[.operator]!.name)/remove", form: ["csrf": token]).status.code == 403)
            #expect(!ConsoleRouteTests.text(try browser.send(.get, "/console/")).contains("href=\"/console/accounts\""))
        }
        #expect(try AccountStore(database: running.context.database).stored("x") == nil)
    }
}
