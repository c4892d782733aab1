import Foundation
import Testing
import VerbundTestSupport
import VerbundHTTP
import VerbundTransport
@testable import VerbundConnector

/// Strangers on the host against the management API: no audit entries without a token, no DNS rebinding, no
/// unbounded guessing (docs/security.md, "Management API").
@Suite(.offCooperativePool) struct ManagementGuardTests {
    private func send(_ a: RunningConnector, _ path: String, method: HTTPMethod = .get, host: String? = nil,
                      token: String? = nil) throws -> HTTPClientResponse {
        var headers = HTTPHeaders()
        if let host { headers.set("Host", host) }
        if let token { headers.set("Authorization", "Bearer \(token)") }
        return try HTTPClient().send(HTTPClientRequest(method: method, host: "127.0.0.1", port: a.connector.managementPort,
                                                       target: path, headers: headers, body: method == .post ? Array("{}".utf8) : []))
    }

    @Test func unauthenticatedPostsWriteNothingToTheAuditLogAndLittleToTheLog() throws {
        let federation = try FederationFixture(members: ["a"])
        let a = try federation.start("a", modules: [AdminProbeModule()])
        defer { a.stop() }
        let before = try a.context.audit.size()
        // An authorized admin action is recorded…
        #expect(try a.management("/api/adminprobe/ping", method: .post).status.code == 200)
        #expect(try a.context.audit.size() == before + 1)
        // …600 without a valid token are not (nor logged one by one).
        for index in 0..<600 {
            let response = try send(a, "/api/adminprobe/ping", method: .post,
                                    token: index.isMultiple(of: 2) ? nil : String(repeating: "0", count: 64))
            #expect(response.status.code == 401)
        }
        #expect(try a.context.audit.size() == before + 1)
        #expect(a.log.events("management.unauthorized").count <= ManagementMount.refusalLogsPerMinute)
    }

    @Test func aForeignHostIsRefusedLoopbackNamesAndTheListenerPass() throws {
        let federation = try FederationFixture(members: ["a"])
        let a = try federation.start("a")
        defer { a.stop() }
        let token = a.connector.managementToken.value
        let port = a.connector.managementPort
        for host in ["evil.example", "evil.example:\(port)", "127.0.0.1.evil.example", "10.0.0.1:\(port)", "[::2]:\(port)", "a:b:c"] {
            let response = try send(a, "/api/status", host: host, token: token)
            #expect(response.status.code == 421, "\(host)")
            #expect(response.headers["Content-Type"] == "application/json")
            #expect(String(decoding: response.body, as: UTF8.self).contains("\"error\""))
            #expect(try send(a, "/healthz", host: host).status.code == 421, "\(host)")  // open routes too
        }
        for host in ["127.0.0.1:\(port)", "localhost:\(port)", "LOCALHOST", "[::1]:\(port)", "127.1.2.3"] {
            #expect(try send(a, "/api/status", host: host, token: token).status.code == 200, "\(host)")
        }
        #expect(a.log.events("management.host.refused").count <= ManagementMount.refusalLogsPerMinute)
    }

    @Test func failedAuthenticationsAreRateLimitedButTheRightTokenStillPasses() throws {
        let federation = try FederationFixture(members: ["a"])
        let a = try federation.start("a")
        defer { a.stop() }
        #expect(try a.management("/api/status").status.code == 200)
        let limit = AuthenticationFailureLimit.Settings().maxFailures
        for _ in 0..<limit {
            #expect(try send(a, "/api/status", token: String(repeating: "f", count: 64)).status.code == 401)
        }
        let locked = try send(a, "/api/status", token: String(repeating: "e", count: 64))
        #expect(locked.status.code == 401)
        #expect(locked.headers["WWW-Authenticate"] == "Bearer realm=\"verbund\", error=\"invalid_token\"")
        #expect(String(decoding: locked.body, as: UTF8.self).contains("too many failed authentications"))
        let unlogged = a.log.events("management.unauthorized").count
        for _ in 0..<5 { _ = try send(a, "/api/status", token: String(repeating: "e", count: 64)) }
        #expect(a.log.events("management.unauthorized").count == unlogged)  // refusals are no longer logged
        // A local process guessing cannot lock the operator out: the 256-bit token cannot be guessed anyway.
        #expect(try a.management("/api/status").status.code == 200)
        #expect(try a.management("/healthz", authorized: false).status.code == 200)  // monitoring keeps working
        #expect(a.log.events("management.authentication.rate-limited").count == 1)
    }

    @Test func theFailureLimitLocksAfterTheBurstAndOpensAsTheWindowPasses() {
        var limit = AuthenticationFailureLimit(settings: .init(maxFailures: 3, window: .seconds(60)))
        let t0 = ContinuousClock.now
        var decisions: [AuthenticationFailureLimit.Decision] = []
        for _ in 0..<3 {
            decisions.append(limit.decide(now: t0))
            limit.failed(now: t0)
        }
        #expect(decisions == [.check, .check, .check])
        decisions = [limit.decide(now: t0), limit.decide(now: t0 + .seconds(10)), limit.decide(now: t0 + .seconds(20))]
        // Locked (said once), then one failure earned back per 20 s.
        #expect(decisions == [.locked(firstOfEpisode: true), .locked(firstOfEpisode: false), .check])
        limit.failed(now: t0 + .seconds(20))
        let again = limit.decide(now: t0 + .seconds(21))
        #expect(again == .locked(firstOfEpisode: true))
    }

    @Test func hostFieldsAreParsedStrictly() {
        let check = ManagementHostCheck(listenerHost: "127.0.0.5")
        #expect(check.check(nil) == .missing)
        #expect(check.check("") == .missing)
        #expect(check.check("127.0.0.5:8444") == .accepted)
        #expect(check.check("localhost.") == .accepted)
        #expect(check.check("[::1]") == .accepted)
        #expect(check.check("127.0.0.256") == .foreign("127.0.0.256"))
        #expect(check.check("localhost:99999") == .foreign("localhost:99999"))
        #expect(check.check("[::1]x") == .foreign("[::1]x"))
        #expect(check.check("localhost.evil.example") == .foreign("localhost.evil.example"))
    }

    @Test func aTokenBucketEarnsItsCapacityPerPeriod() {
        let t0 = ContinuousClock.now
        var bucket = TokenBucket(capacity: 2, per: .seconds(10))
        let taken = [bucket.take(now: t0), bucket.take(now: t0), bucket.take(now: t0)]
        #expect(taken == [true, true, false])
        let early = bucket.take(now: t0 + .seconds(4))
        #expect(!early)
        let earned = bucket.take(now: t0 + .seconds(5))
        #expect(earned)
        let full = bucket.isFull(now: t0 + .seconds(100))
        #expect(full)
    }
}
