import Foundation
import Testing
import VerbundTestSupport
import VerbundFederation
import VerbundTransport
@testable import VerbundCLI
@testable import VerbundConnector

/// A connector that learns its own member was suspended or revoked says so (status, /healthz, log) and stops retrying
/// what can never be delivered (docs/security.md, "A revoked connector knows it").
@Suite(.offCooperativePool) struct OwnMembershipTests {
    private func health(_ a: RunningConnector) throws -> HealthReport {
        try ManagementJSON.decoder().decode(HealthReport.self, from: Data(try a.management("/healthz").body))
    }

    @Test func suspensionIsReportedAndRevocationFailsPendingMessagesWithAReason() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let probe = ProbeModule()
        let a = try federation.start("a", modules: [probe], adjust: { $0.federationPollSeconds = 0.2 })
        defer { a.stop() }
        #expect(try health(a).membership == "active")
        // b is not running: the message is retried with backoff.
        try a.context.database.transaction { tx in
            try a.context.enqueue(OutboxRequest(id: "m-1", kind: "probe.message", destination: .member("b", path: "/probe/inbox"),
                                                body: Array("{}".utf8)), in: tx)
        }
        #expect(a.log.waitFor("outbox.retry") != nil)

        // Suspended: said everywhere; the message waits (a suspension can be lifted).
        _ = try federation.admin().suspend(memberId: "a", reason: "unpaid fee")
        try federation.publish(to: ["a"])
        let suspended = try #require(a.log.waitFor("federation.self.not-active"))
        #expect(suspended["level"] as? String == "error")
        #expect(suspended["status"] as? String == "suspended")
        var report = try health(a)
        #expect(report.status == "degraded")
        #expect(report.membership == "suspended" && report.membershipReason == "unpaid fee")
        #expect(report.warnings.contains { $0.contains("SUSPENDED") })
        #expect(a.log.waitFor("outbox.retry", where: { ($0["reason"] as? String)?.contains("suspended") == true }) != nil)
        #expect(try a.context.outbox.pendingCount() == 1)

        // Revoked: the message can never be delivered, so it is failed with the reason instead of retried forever.
        _ = try federation.admin().revoke(memberId: "a", reason: "key compromised")
        try federation.publish(to: ["a"])
        #expect(a.log.waitFor("federation.self.not-active", where: { $0["status"] as? String == "revoked" }) != nil)
        let failed = try #require(a.log.waitFor("outbox.finished", where: { $0["id"] as? String == "m-1" }))
        #expect(failed["outcome"] as? String == "undeliverable")
        #expect((failed["reason"] as? String)?.contains("revoked") == true)
        #expect(probe.record.outcomes.withLock { $0 }.first { $0.id == "m-1" }?.outcome == "undeliverable")
        #expect(try eventually { try a.context.outbox.pendingCount() == 0 })
        report = try health(a)
        #expect(report.status == "degraded" && report.membership == "revoked")
        #expect(report.warnings.contains { $0.contains("REVOKED") && $0.contains("key compromised") })

        // `verbund status` prints it.
        let status = try ManagementJSON.decoder().decode(StatusReport.self, from: Data(try a.management("/api/status").body))
        #expect(StatusCommand.lines(status).contains { $0.contains("membership      REVOKED (key compromised)") })
        #expect(StatusCommand.lines(status).contains { $0.hasPrefix("warning: this member is REVOKED") })
    }
}
