import Foundation
import Testing
import VerbundTestSupport
import VerbundAudit
import VerbundDataspace
import VerbundHTTP
import VerbundJSON
import VerbundTransport
import VerbundTrust
@testable import VerbundCLI
@testable import VerbundConnector

/// Roles enforced by a running connector (issue 12): every management route called over its real listener with an
/// account of every role, the operator token file, and no credentials; what the audit log says about who asked.
@Suite(.offCooperativePool) struct AccountAccessTests {
    /// One account per role, with fast hashes (the stored text carries its iteration count).
    private static func addAccounts(_ running: RunningConnector) throws -> [AccountRole: (name: String, secret: String)] {
        let store = AccountStore(database: running.context.database, iterations: 1000)
        var accounts: [AccountRole: (name: String, secret: String)] = [:]
        for role in AccountRole.allCases {
            let name = "konto-\(role.rawValue)"
            let secret = try AccountStore.generateSecret()
            _ = try store.add(name, role: role, secret: secret, now: Date())
            accounts[role] = (name, secret)
        }
        return accounts
    }

    static func basic(_ name: String, _ secret: String) -> String {
        "Basic " + Data("\(name):\(secret)".utf8).base64EncodedString()
    }

    private static func send(_ running: RunningConnector, _ method: HTTPMethod, _ path: String, authorization: String?,
                             json: JSONValue? = nil) throws -> HTTPClientResponse {
        var headers = HTTPHeaders()
        if let authorization { headers.set("Authorization", authorization) }
        var body: [UInt8] = []
        if let json {
            headers.set("Content-Type", "application/json")
            body = Array(try JSONEncoder().encode(json))
        }
        return try HTTPClient().send(HTTPClientRequest(method: method, host: "127.0.0.1", port: running.connector.managementPort,
                                                       target: path, headers: headers, body: body))
    }

    /// The audit entries from `index` on, as their JSON values.
    static func auditEntries(_ context: ConnectorContext, from index: Int) throws -> [JSONValue] {
        try context.database.read { tx in
            try context.audit.log.entries(index..<(try context.audit.log.size(in: tx)), in: tx).map { try $0.value() }
        }
    }

    /// A concrete path for a route pattern: every `:name` segment becomes an id nobody has.
    private static func path(_ pattern: String) -> String {
        pattern.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "keine-solche-\($0.dropFirst())" : String($0) }.joined(separator: "/")
    }

    @Test func everyRouteWithEveryRoleOnARunningConnector() throws {
        let fixture = try FederationFixture(members: ["a"])
        let modules = ConnectorModules.all(limits: ConnectorLimits())
        let routes = try RouteHarness(fixture, member: "a", modules: modules).routers.management.routes
            .map { ($0.method, $0.pattern.description) }.filter { $0.1 != "/*" && $0.0 != .head }
            // The console authenticates with its session cookie, not Authorization: ConsoleRouteTests walks it.
            .filter { !ManagementRoutePermissions.isConsole($0.1) }
        #expect(routes.count >= 28)
        let running = try fixture.start("a", modules: modules)
        defer { running.stop() }
        let accounts = try Self.addAccounts(running)
        var refusals = 0
        var anonymousChecks = 0
        for (method, pattern) in routes {
            let target = Self.path(pattern)
            let operatorToken = try Self.send(running, method, target, authorization: "Bearer \(running.connector.managementToken.value)")
            #expect(![401, 403].contains(operatorToken.status.code), "token file \(method) \(target): \(operatorToken.status.code)")
            if ManagementRoutePermissions.open.contains(pattern) {
                #expect(try Self.send(running, method, target, authorization: nil).status.code == 200, "\(pattern) is open")
            } else if anonymousChecks < 10 {
                // Not more: 20 failures a minute lock accounts out (401 unchecked), which the rest of the walk must not meet.
                anonymousChecks += 1
                #expect(try Self.send(running, method, target, authorization: nil).status.code == 401, "\(method) \(pattern) anonymous")
            }
            for role in AccountRole.allCases {
                let account = accounts[role]!
                let before = try running.context.audit.size()
                let answer = try Self.send(running, method, target, authorization: Self.basic(account.name, account.secret))
                let label = "\(role) \(method) \(target): \(answer.status.code) \(String(decoding: answer.body, as: UTF8.self))"
                switch ManagementRoutePermissions.decide(role, method, pattern) {
                case .allowed:
                    #expect(![401, 403].contains(answer.status.code), "\(label)")
                case let .refused(needs, roles):
                    refusals += 1
                    #expect(answer.status.code == 403, "\(label)")
                    let refusal = try JSONDecoder().decode(RoleRefusal.self, from: Data(answer.body))
                    #expect(refusal.role == role && refusal.account == account.name && refusal.permission == needs && refusal.roles == roles)
                    #expect(refusal.error.contains(roles.map(\.rawValue).joined(separator: ", ")), "\(label)")
                    // A refused request reaches no handler and writes nothing to the audit log.
                    #expect(try running.context.audit.size() == before, "\(label)")
                }
            }
        }
        #expect(refusals >= 40, "viewers, auditors and stewards are refused somewhere")
        // Refusals of known accounts are logged, but not one line each.
        #expect(!running.log.events("management.forbidden").isEmpty)
        #expect(running.log.events("management.forbidden").count <= ManagementMount.refusalLogsPerMinute)
    }

    @Test func theAuditLogNamesTheAccountThatAsked() throws {
        let fixture = try FederationFixture(members: ["a"])
        let running = try fixture.start("a", modules: [CatalogModule(crawls: false)])
        defer { running.stop() }
        let accounts = try Self.addAccounts(running)
        let folder = TemporaryFolder("verbund-account-audit")
        let file = try CatalogHarness.dataFile(folder, "parken.csv", "platz;frei\n1;12\n")
        let steward = accounts[.steward]!
        let start = try running.context.audit.size()
        let published = try Self.send(running, .post, "/api/catalog/datasets", authorization: Self.basic(steward.name, steward.secret),
                                      json: ["id": "parken", "file": .string(file), "title": "Parkplätze", "description": "Testdaten"])
        #expect(published.status.code == 201, "\(String(decoding: published.body, as: UTF8.self))")
        // The auditor may not remove it; the operator token may.
        let auditor = accounts[.auditor]!
        #expect(try Self.send(running, .delete, "/api/catalog/datasets/parken",
                              authorization: Self.basic(auditor.name, auditor.secret)).status.code == 403)
        #expect(try Self.send(running, .delete, "/api/catalog/datasets/parken",
                              authorization: "Bearer \(running.connector.managementToken.value)").status.code == 200)

        let entries = try Self.auditEntries(running.context, from: start)
        let byKind = { (kind: String) in entries.filter { $0["kind"]?.stringValue == kind }.map { $0["fields"] ?? .null } }
        #expect(byKind("catalog.dataset.published").map { $0["account"]?.stringValue } == [steward.name])
        #expect(byKind("catalog.dataset.removed").map { $0["account"]?.stringValue } == [ManagementToken.fileName])
        let actions = byKind("management.action")
        #expect(actions.map { $0["account"]?.stringValue } == [steward.name, ManagementToken.fileName])
        #expect(actions.map { $0["role"]?.stringValue } == ["steward", "operator"])
        #expect(actions.map { $0["route"]?.stringValue } == ["/api/catalog/datasets", "/api/catalog/datasets/:id"])
        // No secret anywhere in the log or the audit entries.
        let logged = running.log.all.joined(separator: "\n") + entries.map { "\($0)" }.joined()
        for (_, account) in accounts { #expect(!logged.contains(account.secret)) }
    }

    /// The negotiation a steward starts names the steward (in process: the request is only stored and queued).
    @Test func aNegotiationNamesTheStewardWhoStartedIt() throws {
        let fixture = try FederationFixture(members: ["a", "b"])
        let harness = try RouteHarness(fixture, member: "a", modules: [NegotiationCommands.module()])
        _ = try AccountStore(database: harness.context.database, iterations: 1000)
            .add("stewardin", role: .steward, secret: "geheim-geheim-1", now: Date())
        let request = NegotiationStartRequest(peer: "b", dataset: "urn:dataset:parken", purpose: "Verkehrsplanung",
                                              offerPolicy: Offer(id: "urn:uuid:angebot", permission: [Rule(action: "use")]))
        let start = try harness.context.audit.size()
        let answer = try harness.management(.post, "/api/negotiations", body: Array(try JSONEncoder().encode(request)),
                                            headers: ["Authorization": Self.basic("stewardin", "geheim-geheim-1")])
        #expect(answer.code == 201, "\(answer.text)")
        let entries = try Self.auditEntries(harness.context, from: start)
        let started = entries.filter { $0["kind"]?.stringValue == "negotiation.started" }
        #expect(started.map { $0["fields"]?["account"]?.stringValue } == ["stewardin"])
        #expect(entries.contains { $0["kind"]?.stringValue == "management.action" && $0["fields"]?["account"]?.stringValue == "stewardin" })
    }

    /// A state database that cannot be read answers 503 without its details, and the token file still works.
    @Test func aFailingAccountStoreIs503WithoutDetails() throws {
        let fixture = try FederationFixture(members: ["a"])
        let harness = try RouteHarness(fixture, member: "a")
        try harness.context.database.transaction { tx in _ = try tx.execute("DROP TABLE connector_account") }
        let answer = try harness.management(.get, "/api/status", headers: ["Authorization": Self.basic("konto", "ein-geheimnis-12")])
        #expect(answer.code == 503)
        #expect(answer.text.contains("management.accounts.unavailable") && !answer.text.contains(".sqlite"), "\(answer.text)")
        #expect(harness.log.events("management.accounts.unavailable").count == 1)
        #expect(try harness.management(.get, "/api/status").code == 200)
    }

    @Test func wrongSecretsUnknownAccountsAndMalformedFieldsAre401() throws {
        let fixture = try FederationFixture(members: ["a"])
        let running = try fixture.start("a")
        defer { running.stop() }
        let accounts = try Self.addAccounts(running)
        let viewer = accounts[.viewer]!
        #expect(try Self.send(running, .get, "/api/status", authorization: Self.basic(viewer.name, viewer.secret)).status.code == 200)
        for field in [Self.basic(viewer.name, viewer.secret + "x"), Self.basic("niemand", viewer.secret),
                      Self.basic("", ""), Self.basic("Konto Viewer", viewer.secret), "Basic !!!kein-base64!!!",
                      "Basic " + Data("ohne-doppelpunkt".utf8).base64EncodedString(),
                      "Basic " + String(repeating: "A", count: 4000), "Digest username=\"konto-viewer\""] {
            let answer = try Self.send(running, .get, "/api/status", authorization: field)
            #expect(answer.status.code == 401, "\(field.prefix(60))")
            #expect(answer.headers["WWW-Authenticate"] != nil)
            #expect(!String(decoding: answer.body, as: UTF8.self).contains(viewer.secret))
        }
        let wrong = try Self.send(running, .get, "/api/status", authorization: Self.basic(viewer.name, "falsch-falsch-falsch"))
        #expect(wrong.headers["WWW-Authenticate"]?.hasPrefix("Basic realm=\"verbund\"") == true)
        #expect(String(decoding: wrong.body, as: UTF8.self).contains("verbund accounts reset"))
        // Removed or reset accounts are refused on the next request, though their secret was verified before.
        let store = AccountStore(database: running.context.database, iterations: 1000)
        try store.reset(viewer.name, secret: "ein-ganz-neues-geheimnis", now: Date())
        #expect(try Self.send(running, .get, "/api/status", authorization: Self.basic(viewer.name, viewer.secret)).status.code == 401)
        #expect(try Self.send(running, .get, "/api/status",
                              authorization: Self.basic(viewer.name, "ein-ganz-neues-geheimnis")).status.code == 200)
        try store.remove(viewer.name)
        #expect(try Self.send(running, .get, "/api/status",
                              authorization: Self.basic(viewer.name, "ein-ganz-neues-geheimnis")).status.code == 401)
    }
}
