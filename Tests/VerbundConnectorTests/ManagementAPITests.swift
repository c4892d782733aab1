import Foundation
import Testing
import VerbundTestSupport
import VerbundHTTP
import VerbundTransport
@testable import VerbundConnector

@Suite(.offCooperativePool) struct ManagementAPITests {
    /// In process through the management router's real bearer check (`RouteHarness`).
    @Test func tokenIsRequiredExceptForHealthAndMetrics() throws {
        let federation = try FederationFixture(members: ["a"])
        let a = try RouteHarness(federation, member: "a")
        let denied = try a.management(.get, "/api/status", authorized: false)
        #expect(denied.code == 401)
        #expect(denied.headers["WWW-Authenticate"]?.hasPrefix("Bearer") == true)
        #expect(denied.text.contains("this route needs Authorization: Bearer <token>"))
        #expect(denied.headers["WWW-Authenticate"] == "Bearer realm=\"verbund\"")
        let wrong = try a.management(.get, "/api/status", headers: ["Authorization": "Bearer " + String(repeating: "0", count: 64)])
        #expect(wrong.code == 401)
        // A wrong token is told apart from a missing one (RFC 6750 §3.1).
        #expect(wrong.text.contains("the token is not this connector's"))
        #expect(wrong.headers["WWW-Authenticate"]?.contains("error=\"invalid_token\"") == true)
        let basic = try a.management(.get, "/api/status", headers: ["Authorization": "Basic \(a.token.value)"])
        #expect(basic.code == 401)
        #expect(a.log.events("management.unauthorized").count == 3)
        #expect(try a.management(.get, "/api/status").code == 200)
        #expect(try a.management(.get, "/healthz", authorized: false).code == 200)
        #expect(try a.management(.get, "/metrics", authorized: false).code == 200)
    }

    /// Unknown routes and methods answer JSON like every other error, with what to do (issue 14).
    @Test func unknownRoutesAndMethodsAnswerJSON() throws {
        let federation = try FederationFixture(members: ["a"])
        let a = try RouteHarness(federation, member: "a")
        let missing = try a.management(.get, "/api/nothing-here", authorized: false)
        #expect(missing.code == 404)
        #expect(missing.headers["Content-Type"]?.hasPrefix("application/json") == true)
        #expect(missing.text.contains("GET /api/openapi.json"))
        let method = try a.management(.delete, "/api/status")
        #expect(method.code == 405)
        #expect(method.headers["Allow"] == "GET, HEAD")
        #expect(method.headers["Content-Type"]?.hasPrefix("application/json") == true)
        let error = try JSONSerialization.jsonObject(with: Data(method.text.utf8)) as? [String: String]
        #expect(error?["error"]?.contains("DELETE is not allowed on /api/status") == true)
        #expect(try a.management(.head, "/healthz", authorized: false).code == 200)
        let foreign = try a.management(.get, "/api/nothing-here", headers: ["Host": "evil.example"], authorized: false)
        #expect(foreign.code == 421)
    }

    /// A misspelt field is a 400 that names it, not silently dropped; bad JSON is located (issue 14).
    @Test func unknownFieldsInABodyAreRefusedByName() throws {
        let body = #"{"peer":"b","dataset":"d","purpos":"Statistik"}"#
        let unknown = try ManagementBody.errorText(NegotiationStartRequest.self, body, fields: NegotiationStartRequest.fields)
        #expect(unknown.contains("unknown field \"purpos\""), "\(unknown)")
        #expect(unknown.contains("\"purpose\""))
        let syntax = try ManagementBody.errorText(NegotiationStartRequest.self, "{\n\"peer\": b}", fields: NegotiationStartRequest.fields)
        #expect(syntax.contains("line 2, column 9"), "\(syntax)")
        let missing = try ManagementBody.errorText(NegotiationStartRequest.self, #"{"peer":"b"}"#, fields: NegotiationStartRequest.fields)
        #expect(missing.contains(#"missing field "dataset""#), "\(missing)")
        let duplicate = try ManagementBody.errorText(NegotiationStartRequest.self, #"{"peer":"b","peer":"c","dataset":"d"}"#,
                                                     fields: NegotiationStartRequest.fields)
        #expect(duplicate.contains("duplicate"), "\(duplicate)")

        // Through the route: 400 with the name, nothing started.
        let federation = try FederationFixture(members: ["a", "b"])
        let negotiation = NegotiationModule(offers: CatalogOffers())
        let a = try RouteHarness(federation, member: "a", modules: [
            negotiation, TransferModule(contracts: negotiation.contracts, files: DatasetFileList([:])),
        ])
        let answer = try a.management(.post, "/api/negotiations", body: Array(body.utf8))
        #expect(answer.code == 400)
        #expect(answer.text.contains("purpos"))
        let transfer = try a.management(.post, "/api/transfers", body: Array(#"{"agreementId":"x","outt":"/tmp/x"}"#.utf8))
        #expect(transfer.code == 400 && transfer.text.contains("unknown field") && transfer.text.contains("outt"))
        let publication = Array(#"{"file":"/tmp/x.csv","title":"X","description":"D","period":"2026"}"#.utf8)
        let publish = try RouteHarness(federation, member: "a", modules: [CatalogModule(crawls: false)])
            .management(.post, "/api/catalog/datasets", body: publication)
        #expect(publish.code == 400 && publish.text.contains(#"unknown field \"period\""#), "\(publish.text)")
    }

    @Test func tokenFileIsPrivateAndStableAcrossRestarts() throws {
        let federation = try FederationFixture(members: ["a"])
        let a = try federation.start("a")
        let token = a.connector.managementToken.value
        a.stop()
        let path = federation.members["a"]!.folder + "/data/management.token"
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(token.count == 64 && token.allSatisfy(\.isHexDigit))
        let again = try federation.start("a")
        #expect(again.connector.managementToken.value == token)
        again.stop()
        // A token file others can read is refused, with the fix in the message.
        chmod(path, 0o644)
        #expect {
            try federation.start("a").stop()
        } throws: { error in
            String(describing: error).contains("chmod 600")
        }
    }

    @Test func healthAndStatusReportTheMemberAndTrust() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let a = try federation.start("a")
        defer { a.stop() }
        let health = try ManagementJSON.decoder().decode(HealthReport.self, from: Data(try a.management("/healthz").body))
        #expect(health.status == "ok")
        #expect(health.member == "a")
        #expect(health.version == ConnectorVersion.current)
        #expect(health.registrySerial == a.context.trust.registry.serial)
        #expect(health.crlNextUpdate != nil && health.crlStale == false)
        #expect(health.uptimeSeconds >= 0)
        let status = try ManagementJSON.decoder().decode(StatusReport.self, from: Data(try a.management("/api/status").body))
        #expect(status.federationId == "testfed")
        #expect(status.members == 2 && status.activeMembers == 2)
        #expect(status.listeners.dspPort == a.connector.dspPort)
        #expect(status.modules == ["core"])
        #expect(status.outboxPending == 0)
    }

    @Test func peersListsOtherMembersAndProbesReachability() throws {
        let federation = try FederationFixture(members: ["a", "b", "c"])
        let a = try federation.start("a")
        defer { a.stop() }
        let b = try federation.start("b")
        defer { b.stop() }
        let unprobed = try ManagementJSON.decoder().decode([PeerReport].self, from: Data(try a.management("/api/peers").body))
        #expect(unprobed.map(\.id).sorted() == ["b", "c"])
        #expect(unprobed.allSatisfy { $0.reachable == nil && $0.status == "active" })
        let probed = try ManagementJSON.decoder().decode([PeerReport].self, from: Data(try a.management("/api/peers?probe=1").body))
        #expect(probed.first { $0.id == "b" }?.reachable == true)
        #expect(probed.first { $0.id == "c" }?.reachable == false)  // c is not running
        #expect(probed.first { $0.id == "c" }?.lastError != nil)
    }

    /// In process: a member's DSP request through the guard, then the management routes (`RouteHarness`).
    @Test func metricsAreInPrometheusTextFormat() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let a = try RouteHarness(federation, member: "a")
        _ = try a.dsp(.get, "/dsp/federation/registry", as: "b")
        _ = try a.management(.get, "/healthz")
        let response = try a.management(.get, "/metrics", authorized: false)
        #expect(response.headers["Content-Type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = response.text
        #expect(text.contains("# TYPE verbund_http_requests_total counter\n"))
        #expect(text.contains(#"verbund_http_requests_total{listener="dsp",route="/dsp/federation/registry",status="200"} 1"#))
        #expect(text.contains(#"verbund_http_requests_total{listener="management",route="/healthz",status="200"} 1"#))
        #expect(text.contains("# TYPE verbund_outbox_pending gauge\nverbund_outbox_pending 0\n"))
        #expect(text.contains("verbund_registry_serial \(a.context.trust.registry.serial)\n"))
        // Every sample line is `name{labels} value` with a number.
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            #expect(parts.count == 2 && Double(parts[1]) != nil, "bad sample line: \(line)")
        }
    }

    @Test func constantTimeComparison() {
        #expect(ManagementToken.constantTimeEquals(Array("abc".utf8), Array("abc".utf8)))
        #expect(!ManagementToken.constantTimeEquals(Array("abc".utf8), Array("abd".utf8)))
        #expect(!ManagementToken.constantTimeEquals(Array("abc".utf8), Array("abcd".utf8)))
        #expect(!ManagementToken.constantTimeEquals([], Array("a".utf8)))
        let token = ManagementToken(value: "0123456789abcdef0123456789abcdef")
        #expect(token.authorizes("Bearer 0123456789abcdef0123456789abcdef"))
        #expect(token.authorizes("bearer 0123456789abcdef0123456789abcdef"))
        #expect(!token.authorizes("Bearer"))
        #expect(!token.authorizes(nil))
    }
}
