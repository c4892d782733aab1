import Foundation
import Testing
import VerbundTestSupport
import VerbundHTTP
import VerbundJSON
import VerbundTransport
@testable import VerbundCLI
@testable import VerbundConnector

/// The console on a running connector's management listener, called over its real socket like a browser would.
@Suite(.offCooperativePool) struct ConsoleRouteTests {
    static let hostile = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>&amp;"

    final class Browser {
        let port: UInt16
        var cookie: String?
        var loginToken: String?
        init(port: UInt16) { self.port = port }

        func send(_ method: HTTPMethod, _ target: String, form: [String: String]? = nil) throws -> HTTPClientResponse {
            try send(method, target, pairs: form.map { $0.map { ($0.key, $0.value) } })
        }

        /// With the form as ordered pairs (repeated names allowed, as checkboxes send them).
        func send(_ method: HTTPMethod, _ target: String, pairs form: [(String, String)]?) throws -> HTTPClientResponse {
            var headers = HTTPHeaders()
            var cookies: [String] = []
            if let cookie { cookies.append("\(ConsoleRoutes.cookie)=\(cookie)") }
            if let loginToken { cookies.append("\(ConsoleRoutes.loginCookie)=\(loginToken)") }
            if !cookies.isEmpty { headers.set("Cookie", cookies.joined(separator: "; ")) }
            var body: [UInt8] = []
            if let form {
                headers.set("Content-Type", "application/x-www-form-urlencoded")
                body = Array(form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
                    .joined(separator: "&").utf8)
            }
            return try HTTPClient().send(HTTPClientRequest(method: method, host: "127.0.0.1", port: port, target: target,
                                                           headers: headers, body: body))
        }

        /// Logs in; the session id from `Set-Cookie`, or nil.
        @discardableResult
        func login(_ name: String, _ secret: String, csrf: String? = nil) throws -> HTTPClientResponse {
            // As a browser: the login form first, with its token in a cookie and in the form.
            let form = try send(.get, "/console/login")
            for field in form.headers.values("Set-Cookie") where field.hasPrefix(ConsoleRoutes.loginCookie + "=") {
                loginToken = String(field.dropFirst(ConsoleRoutes.loginCookie.count + 1).prefix { $0 != ";" })
            }
            let answer = try send(.post, "/console/login", form: ["account": name, "secret": secret, "csrf": csrf ?? loginToken ?? ""])
            for field in answer.headers.values("Set-Cookie") where field.hasPrefix(ConsoleRoutes.cookie + "=") {
                cookie = String(field.dropFirst(ConsoleRoutes.cookie.count + 1).prefix { $0 != ";" })
            }
            return answer
        }

        func csrf(on page: String) throws -> String {
            let html = String(decoding: try send(.get, page).body, as: UTF8.self)
            let marker = "name=\"csrf\" value=\""
            let start = try #require(html.range(of: marker)).upperBound
            return String(html[start...].prefix { $0 != "\"" })
        }
    }

    static func text(_ response: HTTPClientResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    static func expectSecurityHeaders(_ response: HTTPClientResponse, _ label: String) {
        #expect(response.headers["Content-Security-Policy"] == "default-src 'self'; frame-ancestors 'none'; form-action 'self'", "\(label)")
        #expect(response.headers["X-Content-Type-Options"] == "nosniff", "\(label)")
        #expect(response.headers["Referrer-Policy"] == "no-referrer", "\(label)")
        #expect(response.headers["Cache-Control"] == "no-store", "\(label)")
    }

    static func accounts(_ running: RunningConnector) throws -> [AccountRole: (name: String, secret: String)] {
        let store = AccountStore(database: running.context.database, iterations: 1000)
        var accounts: [AccountRole: (name: String, secret: String)] = [:]
        for role in AccountRole.allCases {
            let secret = try AccountStore.generateSecret()
            _ = try store.add("konsole-\(role.rawValue)", role: role, secret: secret, now: Date())
            accounts[role] = ("konsole-\(role.rawValue)", secret)
        }
        return accounts
    }

    @Test func loginSessionPagesAndLogout() throws {
        let fixture = try FederationFixture(members: ["a", "b"])
        let running = try fixture.start("a", modules: ConnectorModules.all(limits: ConnectorLimits()))
        defer { running.stop() }
        let accounts = try Self.accounts(running)
        try CatalogHarness.insert(running, [CatalogHarness.record("urn:uuid:feindlich", title: Self.hostile)])
        let browser = Browser(port: running.connector.managementPort)

        // Without a session every page sends the browser to the login page.
        for page in ["/console/", "/console/datasets", "/console/negotiations", "/console/federation"] {
            let answer = try browser.send(.get, page)
            #expect(answer.status.code == 303 && answer.headers["Location"] == "/console/login", "\(page)")
            Self.expectSecurityHeaders(answer, page)
        }
        let loginPage = try browser.send(.get, "/console/login")
        #expect(loginPage.status.code == 200 && Self.text(loginPage).contains("<html lang=\"de\">"))
        #expect(Self.text(try browser.send(.get, "/console/login?lang=en")).contains("<html lang=\"en\">"))
        Self.expectSecurityHeaders(loginPage, "login")

        // Wrong secret, unknown account: 401, no cookie.
        let steward = accounts[.steward]!
        let refused = try browser.login(steward.name, "falsch-falsch-falsch")
        #expect(refused.status.code == 401 && refused.headers["Content-Type"] == "text/html; charset=utf-8")
        Self.expectSecurityHeaders(refused, "refused login")
        #expect(try browser.login("niemand", "falsch-falsch-falsch").status.code == 401)
        #expect(browser.cookie == nil)
        // The right secret without the login form's token, or with a wrong one: 403, no session.
        #expect(try browser.login(steward.name, steward.secret, csrf: "").status.code == 403)
        #expect(try browser.login(steward.name, steward.secret, csrf: String(repeating: "a", count: 64)).status.code == 403)
        #expect(browser.cookie == nil)

        let ok = try browser.login(steward.name, steward.secret)
        #expect(ok.status.code == 303 && ok.headers["Location"] == "/console/")
        Self.expectSecurityHeaders(ok, "login answer")
        let setCookie = try #require(ok.headers.values("Set-Cookie").first { $0.hasPrefix(ConsoleRoutes.cookie) })
        #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/console/"))
        #expect(!setCookie.contains("Secure"), "plain loopback listener")
        #expect(try #require(browser.cookie).count == 64)

        for page in ["/console/", "/console/datasets", "/console/negotiations", "/console/federation", "/console/style.css"] {
            // (The steward may not open /console/audit: rolesAreCheckedAgainstTheAPITable.)
            let answer = try browser.send(.get, page)
            #expect(answer.status.code == 200, "\(page): \(Self.text(answer))")
            Self.expectSecurityHeaders(answer, page)
        }
        #expect(Self.text(try browser.send(.get, "/console/")).contains("Übersicht"))
        // Föderation lists the other member, with its registry status and what is known of its reachability.
        let federation = Self.text(try browser.send(.get, "/console/federation"))
        #expect(federation.contains("<td>b</td>") && federation.contains("<td>active</td>") && !federation.contains("<td>a</td>"),
                "\(federation)")
        // The hostile title is shown, escaped, never as markup.
        let datasets = Self.text(try browser.send(.get, "/console/datasets"))
        #expect(datasets.contains(ConsoleHTML.escape(Self.hostile)))
        #expect(!datasets.contains("<script>") && !datasets.contains("<img"))

        // A refresh without or with a wrong CSRF token is refused and changes nothing.
        let csrf = try browser.csrf(on: "/console/datasets")
        let target = "/console/datasets/urn%3Auuid%3Afeindlich/remove"
        #expect(try browser.send(.post, target, form: [:]).status.code == 403)
        #expect(try browser.send(.post, target, form: ["csrf": String(repeating: "0", count: 64)]).status.code == 403)
        #expect(try browser.send(.post, target, form: ["csrf": "kurz"]).status.code == 403)
        #expect(Self.text(try browser.send(.get, "/console/datasets")).contains("urn:uuid:feindlich"))
        let audit = try running.context.audit.size()
        let removed = try browser.send(.post, target, form: ["csrf": csrf])
        #expect(removed.status.code == 200, "\(Self.text(removed))")
        #expect(!Self.text(try browser.send(.get, "/console/datasets")).contains("urn:uuid:feindlich"))
        // The audit log names the account that asked.
        let entries = try AccountAccessTests.auditEntries(running.context, from: audit)
        let byKind = { (kind: String) in entries.filter { $0["kind"]?.stringValue == kind }.map { $0["fields"] ?? .null } }
        #expect(byKind("catalog.dataset.removed").map { $0["account"]?.stringValue } == [steward.name])
        #expect(byKind("management.action").map { $0["route"]?.stringValue } == ["/api/catalog/datasets/:id"])
        #expect(byKind("management.action").map { $0["account"]?.stringValue } == [steward.name])

        // Logout needs the token too, then the session is dead even if the cookie is replayed.
        #expect(try browser.send(.post, "/console/logout", form: [:]).status.code == 403)
        let loggedOut = try browser.send(.post, "/console/logout", form: ["csrf": csrf])
        #expect(loggedOut.status.code == 200)
        #expect(loggedOut.headers.values("Set-Cookie").contains { $0.contains("Max-Age=0") })
        #expect(try browser.send(.get, "/console/").status.code == 303)
    }

    private func overview(_ browser: Browser) throws -> String { Self.text(try browser.send(.get, "/console/")) }

    @Test func rolesAreCheckedAgainstTheAPITable() throws {
        let fixture = try FederationFixture(members: ["a"])
        let running = try fixture.start("a", modules: ConnectorModules.all(limits: ConnectorLimits()))
        defer { running.stop() }
        let accounts = try Self.accounts(running)
        try CatalogHarness.insert(running, [CatalogHarness.record("urn:uuid:bleibt", title: "Bleibt")])
        for role in AccountRole.allCases {
            let browser = Browser(port: running.connector.managementPort)
            try browser.login(accounts[role]!.name, accounts[role]!.secret)
            let csrf = try browser.csrf(on: "/console/")
            for (method, pattern) in [(HTTPMethod.get, "/console"), (.get, "/console/datasets"), (.get, "/console/negotiations"),
                                      (.get, "/console/federation"), (.get, "/console/audit"), (.post, "/console/datasets/:id/refresh")] {
                let path = pattern.replacingOccurrences(of: ":id", with: "urn%3Auuid%3Akeiner") + (pattern == "/console" ? "/" : "")
                let answer = try browser.send(method, path, form: method == .post ? ["csrf": csrf] : nil)
                Self.expectSecurityHeaders(answer, "\(role) \(path)")
                if case let .refused(_, roles) = ManagementRoutePermissions.decide(role, method, pattern) {
                    #expect(answer.status.code == 403, "\(role) \(method) \(path)")
                    #expect(Self.text(answer).contains(roles.map(\.rawValue).joined(separator: ", ")))
                } else {
                    #expect(answer.status.code != 403, "\(role) \(method) \(path): \(Self.text(answer))")
                }
            }
            // Links only to the pages the role may open.
            #expect(try overview(browser).contains("href=\"/console/audit\"") == role.may(.readAudit), "\(role)")
            #expect(try overview(browser).contains("href=\"/console/datasets\"") == role.may(.readData), "\(role)")
            // The tree head only for roles that may read the audit log.
            let overview = Self.text(try browser.send(.get, "/console/"))
            #expect(overview.contains(ConsoleMessages.text(.treeHead, .de)) == role.may(.readAudit), "\(role)")
            #expect(overview.contains(ConsoleMessages.text(.registrySerial, .de)), "\(role)")
            if role.may(.readAudit) {
                let audit = Self.text(try browser.send(.get, "/console/audit"))
                #expect(audit.contains(ConsoleMessages.text(.ownTreeHead, .de)) && audit.contains(ConsoleMessages.text(.peerTreeHeads, .de)),
                        "\(audit)")
            }
            // Buttons only for roles that may press them.
            let page = Self.text(try browser.send(.get, "/console/datasets"))
            #expect(page.contains("/refresh") == role.may(.manageDatasets) || !role.may(.readData), "\(role)")
        }
        #expect(try CatalogHarness.management(running, .get, "/api/catalog/datasets").body.arrayValue?.count == 1)
    }

    /// `ManagementMount` lets every console route past its `Authorization` check, so each one must ask for a session
    /// itself: every registered console route but the open ones, called without one, leads to the login page.
    @Test func everyConsoleRouteNeedsASession() throws {
        let fixture = try FederationFixture(members: ["a"])
        let running = try fixture.start("a", modules: ConnectorModules.all(limits: ConnectorLimits()))
        defer { running.stop() }
        let routes = try RouteHarness(fixture, member: "a", modules: ConnectorModules.all(limits: ConnectorLimits()))
            .routers.management.routes.filter { ManagementRoutePermissions.isConsole($0.pattern.description) && $0.method != .head }
        #expect(routes.count >= 9)
        let browser = Browser(port: running.connector.managementPort)
        for route in routes where !ManagementRoutePermissions.open.contains(route.pattern.description) {
            let path = route.pattern.description.replacingOccurrences(of: ":id", with: "x") + (route.pattern.description == "/console" ? "/" : "")
            let answer = try browser.send(route.method, path, form: route.method == .post ? [:] : nil)
            #expect(answer.status.code == 303 && answer.headers["Location"] == "/console/login", "\(route.method) \(path)")
            Self.expectSecurityHeaders(answer, path)
        }
        // Forged session ids are no session either.
        browser.cookie = String(repeating: "0", count: 64)
        #expect(try browser.send(.get, "/console/").status.code == 303)
        browser.cookie = "<script>"
        #expect(try browser.send(.get, "/console/").status.code == 303)
    }

    /// As on the API, a reset secret or a removed account takes effect with the next request.
    @Test func aResetOrRemovedAccountEndsItsSessions() throws {
        let fixture = try FederationFixture(members: ["a"])
        let running = try fixture.start("a", modules: ConnectorModules.all(limits: ConnectorLimits()))
        defer { running.stop() }
        let accounts = try Self.accounts(running)
        let store = AccountStore(database: running.context.database, iterations: 1000)
        let reset = Browser(port: running.connector.managementPort)
        let removed = Browser(port: running.connector.managementPort)
        let kept = Browser(port: running.connector.managementPort)
        try reset.login(accounts[.steward]!.name, accounts[.steward]!.secret)
        try removed.login(accounts[.auditor]!.name, accounts[.auditor]!.secret)
        try kept.login(accounts[.viewer]!.name, accounts[.viewer]!.secret)
        for browser in [reset, removed, kept] { #expect(try browser.send(.get, "/console/").status.code == 200) }
        try store.reset(accounts[.steward]!.name, secret: try AccountStore.generateSecret(), now: Date())
        try store.remove(accounts[.auditor]!.name)
        #expect(try reset.send(.get, "/console/").status.code == 303)
        #expect(try removed.send(.get, "/console/").status.code == 303)
        #expect(try kept.send(.get, "/console/").status.code == 200)
    }

    @Test func failedLoginsAreBounded() throws {
        let fixture = try FederationFixture(members: ["a"])
        let running = try fixture.start("a", modules: ConnectorModules.all(limits: ConnectorLimits()))
        defer { running.stop() }
        let accounts = try Self.accounts(running)
        let browser = Browser(port: running.connector.managementPort)
        // 20 failures a minute, refilled continuously (one every 3 s): on a slow machine a few more may pass.
        var attempts = 0
        while try browser.login("niemand", "falsch-falsch-falsch").status.code == 401, attempts < 40 { attempts += 1 }
        #expect(attempts >= 20 && attempts < 40, "\(attempts) failed logins before the limit")
        // Over the limit no secret is checked, not even a right one.
        #expect(try browser.login(accounts[.viewer]!.name, accounts[.viewer]!.secret).status.code == 429)
        #expect(browser.cookie == nil)
    }

    /// API and console count failed logins in one limit: guessing through one locks the other out too.
    @Test func apiAndConsoleShareOneFailureLimit() throws {
        for guessThroughTheAPI in [true, false] {
            let fixture = try FederationFixture(members: ["a"])
            let running = try fixture.start("a", modules: ConnectorModules.all(limits: ConnectorLimits()))
            defer { running.stop() }
            let accounts = try Self.accounts(running)
            let viewer = accounts[.viewer]!
            let browser = Browser(port: running.connector.managementPort)
            func api(_ secret: String) throws -> Int {
                var headers = HTTPHeaders()
                headers.set("Authorization", AccountAccessTests.basic(viewer.name, secret))
                return try HTTPClient().send(HTTPClientRequest(method: .get, host: "127.0.0.1", port: running.connector.managementPort,
                                                               target: "/api/status", headers: headers)).status.code
            }
            for _ in 0..<30 {
                if guessThroughTheAPI { _ = try api("falsch-falsch-falsch") } else { _ = try browser.login(viewer.name, "falsch-falsch-falsch") }
            }
            if guessThroughTheAPI {
                #expect(try browser.login(viewer.name, viewer.secret).status.code == 429, "API failures lock the console's login")
                #expect(browser.cookie == nil)
            } else {
                #expect(try api(viewer.secret) == 401, "console failures lock the API's account check")
            }
        }
    }

    /// Every registered console route with every role over the real listener: refused (403, naming the roles) exactly
    /// when `ManagementRoutePermissions` says so. Parameters name nothing that exists, so allowed actions change nothing.
    @Test func everyConsoleRouteWithEveryRole() throws {
        let fixture = try FederationFixture(members: ["a"])
        let modules = ConnectorModules.all(limits: ConnectorLimits())
        let running = try fixture.start("a", modules: modules)
        defer { running.stop() }
        let routes = try RouteHarness(fixture, member: "a", modules: modules).routers.management.routes
            .map { ($0.method, $0.pattern.description) }
            .filter { ManagementRoutePermissions.isConsole($0.1) && $0.0 != .head && !ManagementRoutePermissions.open.contains($0.1) }
        #expect(routes.count >= 20)
        let accounts = try Self.accounts(running)
        var refused = 0
        for role in AccountRole.allCases {
            let browser = Browser(port: running.connector.managementPort)
            try browser.login(accounts[role]!.name, accounts[role]!.secret)
            let csrf = try browser.csrf(on: "/console/")
            for (method, pattern) in routes {
                let path = pattern.split(separator: "/", omittingEmptySubsequences: false)
                    .map { $0.hasPrefix(":") ? "keiner" : String($0) }.joined(separator: "/") + (pattern == "/console" ? "/" : "")
                let answer: HTTPClientResponse
                if pattern == "/console/audit/verify" {
                    answer = try ConsoleContractTests.upload(browser, fields: ["csrf": csrf], bundle: Array("{}".utf8))
                } else {
                    answer = try browser.send(method, path, form: method == .post ? ["csrf": csrf] : nil)
                }
                Self.expectSecurityHeaders(answer, "\(role) \(method) \(path)")
                if case let .refused(_, roles) = ManagementRoutePermissions.decide(role, method, pattern) {
                    refused += 1
                    #expect(answer.status.code == 403 && Self.text(answer).contains(roles.map(\.rawValue).joined(separator: ", ")),
                            "\(role) \(method) \(path): \(answer.status.code)")
                } else {
                    #expect(![401, 403].contains(answer.status.code) && answer.status.code < 500,
                            "\(role) \(method) \(path): \(answer.status.code) \(Self.text(answer).prefix(300))")
                }
            }
        }
        #expect(refused >= 30, "viewers, auditors and stewards are refused somewhere: \(refused)")
        #expect(try AccountStore(database: running.context.database).list().count == AccountRole.allCases.count)
    }
}
