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
        let wrong = try a.management(.get, "/api/status", headers: ["Authorization": "Bearer " + String(repeating: "0", count: 64)])
        #expect(wrong.code == 401)
        let basic = try a.management(.get, "/api/status", headers: ["Authorization": "Basic \(a.token.value)"])
        #expect(basic.code == 401)
        #expect(a.log.events("management.unauthorized").count == 3)
        #expect(try a.management(.get, "/api/status").code == 200)
        #expect(try a.management(.get, "/healthz", authorized: false).code == 200)
        #expect(try a.management(.get, "/metrics", authorized: false).code == 200)
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
