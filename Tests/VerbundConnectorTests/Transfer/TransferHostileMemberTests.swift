import Dispatch
import Foundation
import Synchronization
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundFederation
import VerbundHTTP
import VerbundTransport
@testable import VerbundConnector

/// A member on the other side of a transfer that does not play fair: it lifts the other side's suspension, names
/// another member as the place to push to or download from, sends more than it declared, or stops reading while it
/// is being revoked. Each test plays that member with a patched client or a `HostileTransferPeer`.
@Suite(.offCooperativePool) struct TransferHostileMemberTests {
    @Test func aConsumerCannotLiftTheProvidersSuspension() throws {
        let harness = try TransferHarness(size: 10_000)
        defer { harness.stopAll() }
        try harness.start("p")
        let consumer = try harness.start("c")
        let transfer = try harness.request(harness.contract())
        let provider = try harness.startedOnBothSides(transfer)
        let suspended = try harness.call("p", .post, "/api/transfers/\(provider.pid)/suspend", json: ["reason": "audit"])
        #expect(suspended.status.code == 200)
        #expect(try harness.wait("c", transfer.pid, for: "SUSPENDED").state == "SUSPENDED")

        // A patched consumer restarts the transfer itself with a TransferStartMessage.
        let restart = TransferStartMessage(id: "urn:uuid:" + UUID().uuidString.lowercased(), providerPid: provider.pid,
                                           consumerPid: transfer.consumerPid)
        let answer = try consumer.context.peerClient.send(toMember: "p", method: .post, path: "/transfers/\(provider.pid)/start",
                                                         body: Array(try DSPJSON.encode(restart)))
        #expect(answer.status.code == 400)
        #expect(String(decoding: answer.body, as: UTF8.self).contains("only the side that suspended it"))
        #expect(try harness.summary("p", provider.pid).state == "SUSPENDED")
        // And the provider serves no data while it holds the suspension.
        let (endpoint, token) = try harness.dataAddress(transfer.pid)
        let data = try consumer.context.peerClient.send(toURL: endpoint, method: .get, headers: ["Authorization": "Bearer \(token)"])
        #expect(data.status.code == 409)
        #expect(data.body.count < 1000)
        try DSPValidation.validate([answer.body], in: harness.folder)
    }

    @Test func aPushIsOnlyEverSentToTheConsumersOwnOrigin() throws {
        let harness = try TransferHarness(size: 10_000, members: ["p", "c", "x"])
        defer { harness.stopAll() }
        try harness.start("p")
        try harness.start("c")
        let third = try harness.startHostile("x")
        let agreement = harness.contract()

        // c names x's push target: x is a member, but not the one the agreement was made with.
        let elsewhere = DataAddress(endpointType: TransferFormat.endpointType,
                                    endpoint: try #require(harness.federation.members["x"]).endpoint + "/push/urn:uuid:stolen",
                                    endpointProperties: [EndpointProperty(name: "authorization", value: "x")])
        let status = try harness.requestDirectly(agreement, format: TransferFormat.push, dataAddress: elsewhere)
        #expect(status == 400)
        #expect(try harness.summaries("p").isEmpty)
        #expect(third.record.hits.withLock { $0.isEmpty })

        // A push to c's own origin goes through, and the log names where the bytes went.
        let out = harness.folder.file("pushed.bin")
        let response = try harness.call("c", .post, "/api/transfers",
                                        json: ["agreementId": agreement, "format": TransferFormat.push, "out": out])
        #expect(response.status.code == 201)
        let transfer = try ManagementJSON.decoder().decode(TransferSummary.self, from: Data(response.body))
        #expect(try harness.wait("c", transfer.pid, for: "COMPLETED").state == "COMPLETED")
        let pushed = try harness.auditEntries("p", kind: "transfer.data.pushed")
        #expect(pushed.first?["to"] as? String == "c")
        let consumerEndpoint = try #require(harness.federation.members["c"]).endpoint
        let origin = try #require(PeerEndpoint(consumerEndpoint))
        #expect(pushed.first?["endpoint"] as? String == "https://\(origin.host):\(origin.port)")
        #expect(third.record.hits.withLock { $0.isEmpty })
    }

    @Test func aProviderCannotAimTheConsumersDownloadElsewhereNorSendMoreThanItDeclared() throws {
        let harness = try TransferHarness(size: 1000, members: ["p", "c", "x"])
        defer { harness.stopAll() }
        let provider = try harness.startHostile("p")
        try harness.start("c")
        let third = try harness.startHostile("x")
        let transfer = try harness.request(harness.contract())
        let deadline = ContinuousClock.now + .seconds(10)
        var asked = try harness.summary("c", transfer.pid)
        while asked.providerPid == nil, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            asked = try harness.summary("c", transfer.pid)
        }
        let providerPid = try #require(asked.providerPid)
        let callback = try #require(harness.federation.members["c"]).endpoint + "/callback/transfers/\(transfer.consumerPid)/start"
        func start(at endpoint: String, size: Int) throws -> Int {
            let message = TransferStartMessage(
                id: "urn:uuid:" + UUID().uuidString.lowercased(), providerPid: providerPid, consumerPid: transfer.consumerPid,
                dataAddress: DataAddress(endpointType: TransferFormat.endpointType, endpoint: endpoint, endpointProperties: [
                    EndpointProperty(name: "authorization", value: "token-\(size)"),
                    EndpointProperty(name: TransferFormat.byteSizeProperty, value: String(size)),
                ]))
            let connector = try #require(harness.running["p"])
            return try connector.context.peerClient.send(toURL: callback, method: .post, body: Array(try DSPJSON.encode(message))).status.code
        }

        // The provider points the consumer's authenticated GET at member x.
        let foreign = try #require(harness.federation.members["x"]).endpoint + "/data/\(providerPid)"
        #expect(try start(at: foreign, size: 1000) == 400)
        #expect(try harness.summary("c", transfer.pid).state == "REQUESTED")

        // At its own origin it declares 1000 bytes, then streams 4 MiB without a length.
        let own = try #require(harness.federation.members["p"]).endpoint + "/data/\(providerPid)"
        #expect(try start(at: own, size: 1000) == 200)
        #expect(try harness.wait("c", transfer.pid, for: "STARTED").state == "STARTED")
        let out = harness.folder.file("flood.bin")
        let events = try harness.download(transfer.pid, to: out)
        #expect(events.last?.event == "failed")
        #expect(events.last?.error?.contains("more than the 1000 bytes it declared") == true, "\(events.suffix(1))")
        #expect(DownloadFile.size(at: out) <= 1000)
        #expect(provider.record.hits.withLock { $0.count } == 1)
        #expect(third.record.hits.withLock { $0.isEmpty })
    }

    /// `status`: the member is revoked or suspended in a new registry, or only its certificate is revoked in a new CRL.
    @Test(arguments: ["revoked", "suspended", "crl"])
    func aStalledStreamOfAnExcludedMemberIsCutWithinTwoSeconds(_ status: String) throws {
        let harness = try TransferHarness(size: 64 << 20)
        defer { harness.stopAll() }
        let providerConnector = try harness.start("p")
        let consumer = try harness.start("c")
        let transfer = try harness.request(harness.contract())
        let provider = try harness.startedOnBothSides(transfer)
        let (endpoint, token) = try harness.dataAddress(transfer.pid)

        // A client that takes the first piece and then stops reading: the provider's writes block.
        let reading = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        Thread {
            var first = true
            _ = try? consumer.context.peerClient.stream(toURL: endpoint, headers: ["Authorization": "Bearer \(token)"]) { _, _ in
                guard first else { return }
                first = false
                reading.signal()
                _ = release.wait(timeout: .now() + 30)
            }
            finished.signal()
        }.start()
        defer {
            release.signal()
            _ = finished.wait(timeout: .now() + 30)
        }
        #expect(reading.wait(timeout: .now() + 10) == .success)

        let admin = try harness.federation.admin()
        if status == "suspended" {
            _ = try admin.suspend(memberId: "c", reason: "unpaid fees")
        } else {
            _ = try admin.revoke(memberId: "c", reason: "left the federation")
        }
        let publishedAt = Date().timeIntervalSince1970
        if status == "crl" {
            let crl = try Array(Data(contentsOf: URL(fileURLWithPath: harness.federation.adminFolder.crl)))
            try AtomicFile.write(crl, to: try #require(harness.federation.members["p"]).federationFolder + "/crl.pem")
        } else {
            try harness.federation.publish(to: ["p"])
        }

        let log = providerConnector.log
        let taken = status == "crl" ? "federation.crl.accepted" : "federation.registry.accepted"
        let accepted = try #require(log.waitFor(taken, timeout: 10) { ((try? Self.time($0)) ?? 0) >= publishedAt - 0.01 })
        let ended = try #require(log.waitFor("transfer.data.ended", timeout: 5), "the stalled stream was never cut")
        let took = try Self.time(ended) - Self.time(accepted)
        #expect(took < 2, "the stream of a \(status) member ran on \(took) s after the registry was taken")
        #expect((ended["bytes"] as? Int ?? 0) < harness.datasetSize)
        let terminated = try harness.wait("p", provider.pid, for: "TERMINATED")
        #expect(terminated.reason?.contains(status == "crl" ? "revoked" : status) == true, "\(terminated.reason ?? "")")
    }

    private static func time(_ line: [String: Any]) throws -> Double {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let text = try #require(line["time"] as? String)
        return try #require(formatter.date(from: text)).timeIntervalSince1970
    }
}
