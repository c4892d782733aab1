import Foundation
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundHTTP
import VerbundTransport
@testable import VerbundConnector

@Suite(.offCooperativePool) struct TransferPullTests {
    @Test func smallPullRunsTheWholeProcessAndEveryMessageValidates() throws {
        let harness = try TransferHarness(size: 300_000)
        defer { harness.stopAll() }
        try harness.start("p")
        try harness.start("c")
        let agreement = harness.contract()

        let requested = try harness.request(agreement)
        #expect(requested.role == "consumer" && requested.state == "REQUESTED")
        let started = try harness.wait("c", requested.pid, for: "STARTED")
        #expect(started.state == "STARTED")
        #expect(started.providerPid != nil)

        let out = harness.folder.file("out.csv")
        let events = try harness.download(requested.pid, to: out)
        let last = try #require(events.last)
        #expect(last.event == "verified", "\(events)")
        #expect(last.sha256 == harness.datasetSHA256)
        #expect(try DownloadFile.sha256(at: out) == harness.datasetSHA256)

        let completed = try harness.wait("c", requested.pid, for: "COMPLETED")
        #expect(completed.state == "COMPLETED")
        #expect(completed.sha256 == harness.datasetSHA256)
        let provider = try #require(try harness.providerSide(of: completed))
        let providerDone = try harness.wait("p", provider.pid, for: "COMPLETED")
        #expect(providerDone.bytes == Int64(harness.datasetSize))
        #expect(providerDone.sha256 == harness.datasetSHA256)

        // A repeated request with the same consumerPid answers the same process (idempotent), and GET shows it.
        let consumerContext = try #require(harness.running["c"]).context
        let repeatBody = try consumerContext.database.read { tx in
            try tx.queryFirst("SELECT body FROM outbox o JOIN connector_outbox_route r ON r.message_id = o.id WHERE r.kind = 'transfer.request'")?.blob("body")
        }
        let again = try consumerContext.peerClient.send(toMember: "p", method: .post, path: "/transfers/request",
                                                       body: try #require(repeatBody))
        #expect(again.status.code == 201)
        let ack = try DSPJSON.decode(TransferProcess.self, from: Data(again.body))
        #expect(ack.providerPid == provider.pid && ack.state == .completed)
        #expect(try harness.summaries("p").count == 1)
        let got = try consumerContext.peerClient.send(toMember: "p", method: .get, path: "/transfers/\(provider.pid)")
        #expect(got.status.code == 200)

        // Finished processes refuse further messages with 400 + TransferError, state unchanged.
        let late = TransferSuspensionMessage(providerPid: provider.pid, consumerPid: completed.consumerPid, code: "x", reason: ["late"])
        let refused = try consumerContext.peerClient.send(toMember: "p", method: .post,
                                                         path: "/transfers/\(provider.pid)/suspension",
                                                         body: Array(try DSPJSON.encode(late)))
        #expect(refused.status.code == 400)
        #expect(try harness.summary("p", provider.pid).state == "COMPLETED")

        // The consumer's callback GET answers its provider only.
        let providerContext = try #require(harness.running["p"]).context
        let callback = try providerContext.peerClient.send(toMember: "c", method: .get,
                                                          path: "/callback/transfers/\(completed.consumerPid)")
        #expect(callback.status.code == 200)
        #expect(try DSPJSON.decode(TransferProcess.self, from: Data(callback.body)).state == .completed)
        let unknownCallback = try providerContext.peerClient.send(toMember: "c", method: .get, path: "/callback/transfers/urn:uuid:x")
        #expect(unknownCallback.status.code == 404)

        // Each served request and the completion are in the provider's log (bytes, sha-256, peer); the consumer logs
        // what it received.
        let served = try harness.auditEntries("p", kind: "transfer.data.served")
        #expect(served.count == 1)
        #expect(served.first?["bytes"] as? Int == harness.datasetSize)
        #expect(served.first?["sha256"] as? String == harness.datasetSHA256)
        #expect(served.first?["peer"] as? String == "c")
        let completions = try harness.auditEntries("p", kind: "transfer.completed")
        #expect(completions.first?["sha256"] as? String == harness.datasetSHA256)
        #expect(completions.first?["bytes"] as? Int == harness.datasetSize)
        #expect(try harness.auditEntries("c", kind: "transfer.received").first?["sha256"] as? String == harness.datasetSHA256)
        try harness.validateSentMessages(extra: [again.body, got.body, refused.body, callback.body, unknownCallback.body])

        let metrics = providerContext.metrics
        #expect(metrics.value(TransferMetrics.bytes, labels: ["direction": "served"]) == Double(harness.datasetSize))
        #expect(metrics.value(TransferMetrics.transitions, labels: ["role": "provider", "state": "COMPLETED"]) == 1)
        #expect(metrics.exposition().contains("verbund_transfers{role=\"provider\",state=\"COMPLETED\"} 1"))
        #expect(consumerContext.metrics.value(TransferMetrics.bytes, labels: ["direction": "received"]) == Double(harness.datasetSize))
    }
}
