import Foundation
import Testing
import VerbundTestSupport
import VerbundHTTP
import VerbundTransport
@testable import VerbundConnector

/// A stream a local application reads through its own connector (`GET /api/transfers/:pid/data/*`) from a partner's
/// API (nginx, 64 MiB) is cut when the federation suspends the reading member midway: the provider's data plane stops
/// at its next check, the consumer's answer breaks off without its end (so the application cannot take it for
/// complete), and the provider's log records the request as incomplete.
@Suite(.offCooperativePool) struct ProxiedStreamCutTests {
    @Test(OutsideCheckers.trait(NginxAPIDatasetTests.check, absence: NginxUpstream.absence))
    func suspendingTheConsumerMidwayCutsTheProxiedStream() throws {
        let bed = try NginxAPIDatasetTests.Bed()
        defer { bed.stop() }
        let published = bed.publish(["--credential-file", bed.credential, "--credential-kind", "basic",
                                     "--ca-file", bed.nginx.caFile])
        #expect(published.status == 0, "\(published.err)")
        let (_, _, providerPid) = try bed.started()
        let pid = try #require(try bed.harness.summaries("c").first { $0.role == "consumer" }).pid
        let consumer = try #require(bed.harness.running["c"]).connector

        var received = 0
        var suspended = false
        let client = HTTPClient(configuration: HTTPClientConfiguration(connectTimeout: .seconds(5), responseHeadTimeout: .seconds(30)))
        let request = HTTPClientRequest(method: .get, host: "127.0.0.1", port: consumer.managementPort,
                                        target: "/api/transfers/\(pid)/data/v1/large.bin",
                                        headers: ["Authorization": "Bearer \(consumer.managementToken.value)"])
        #expect(throws: (any Error).self) {
            _ = try client.send(request, maxBodyBytes: Int.max, deadline: .seconds(60)) { head, piece in
                #expect(head.status.code == 200)
                received += piece.count
                if !suspended, received >= 1 << 20 {
                    suspended = true
                    _ = try bed.harness.federation.admin().suspend(memberId: "c", reason: "Beitrag nicht bezahlt")
                    try bed.harness.federation.publish(to: ["p"])
                    // Reads slowly on, as a dashboard would, while the provider's next check comes.
                    Thread.sleep(forTimeInterval: 0.5)
                }
            }
        }
        #expect(suspended)
        #expect(received < NginxUpstream.largeSize, "\(received) bytes arrived")
        #expect(try bed.harness.wait("p", providerPid, for: "TERMINATED").state == "TERMINATED")
        let entries = try bed.harness.auditEntries("p", kind: "transfer.api.request")
        let large = try #require(entries.first { $0["path"] as? String == "/v1/large.bin" })
        #expect(large["complete"] as? Bool == false, "\(large)")
    }
}
