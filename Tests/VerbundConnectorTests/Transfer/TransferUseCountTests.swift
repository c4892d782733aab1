import Dispatch
import Foundation
import Synchronization
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundHTTP
import VerbundTransport
@testable import VerbundConnector

/// What one use of a contract is (docs/policies.md, "What one use is"), against a consumer that tries to talk the
/// `count` limit around: a transfer delivers the dataset once; every transfer that sent data counts, whatever state it
/// ends in; a transfer that never started counts for nothing once it ended.
@Suite(.offCooperativePool) struct TransferUseCountTests {
    @Test func terminatingInsteadOfCompletingStillUsesTheContract() throws {
        let harness = try TransferHarness(size: 10_000)
        defer { harness.stopAll() }
        try harness.start("p")
        let consumer = try harness.start("c")
        let agreement = harness.contract([.atomic("count", "lteq", .string("1"))])
        let first = try harness.request(agreement)
        let provider = try harness.startedOnBothSides(first)

        // The hostile consumer takes the whole dataset with its own GET, then terminates instead of completing.
        let (endpoint, token) = try harness.dataAddress(first.pid)
        let copy = try consumer.context.peerClient.send(toURL: endpoint, method: .get, headers: ["Authorization": "Bearer \(token)"])
        #expect(copy.status.code == 200 && copy.body.count == harness.datasetSize)
        let terminated = try harness.call("c", .post, "/api/transfers/\(first.pid)/terminate", json: ["reason": "changed my mind"])
        #expect(terminated.status.code == 200)
        let ended = try harness.wait("p", provider.pid, for: "TERMINATED")
        #expect(ended.state == "TERMINATED")
        #expect(ended.bytes == Int64(harness.datasetSize))

        // The contract allowed one use, and it was used: the next transfer is denied.
        let second = try harness.request(agreement)
        let denied = try harness.wait("c", second.pid, for: "TERMINATED")
        #expect(denied.state == "TERMINATED")
        #expect(denied.reason?.contains("At most 1 transfer") == true, "\(denied.reason ?? "")")
    }

    @Test func oneTransferServesOneCopyAndResumesButNoSecondCopy() throws {
        let harness = try TransferHarness(size: 10_000)
        defer { harness.stopAll() }
        try harness.start("p")
        let consumer = try harness.start("c")
        let transfer = try harness.request(harness.contract())
        let provider = try harness.startedOnBothSides(transfer)
        let (endpoint, token) = try harness.dataAddress(transfer.pid)
        let auth = "Bearer \(token)"

        let whole = try consumer.context.peerClient.send(toURL: endpoint, method: .get, headers: ["Authorization": auth])
        #expect(whole.status.code == 200 && whole.body.count == harness.datasetSize)
        // Resuming the tail of an interrupted download is allowed …
        let tail = try consumer.context.peerClient.send(toURL: endpoint, method: .get, headers: [
            "Authorization": auth, "Range": "bytes=\(harness.datasetSize - 500)-",
        ])
        #expect(tail.status.code == 206 && tail.body.count == 500)
        // … a second whole copy is not, with or without a Range that asks for all of it.
        for range in [nil, "bytes=0-"] {
            var headers: HTTPHeaders = ["Authorization": auth]
            if let range { headers.set("Range", range) }
            let again = try consumer.context.peerClient.send(toURL: endpoint, method: .get, headers: headers)
            #expect(again.status.code == 410, "\(range ?? "no Range"): \(again.status.code)")
            #expect(again.body.count < 1000)
            #expect(String(decoding: again.body, as: UTF8.self).contains("no second copy"))
        }
        #expect(try harness.summary("p", provider.pid).bytes == Int64(harness.datasetSize + 500))
    }

    @Test func aPushConsumerThatMakesTheProviderStartOverGetsNoSecondCopy() throws {
        let harness = try TransferHarness(size: 10_000)
        defer { harness.stopAll() }
        try harness.start("p")
        let hostile = try harness.startHostile("c")
        hostile.record.restartPushes.withLock { $0 = true }
        let target = DataAddress(endpointType: TransferFormat.endpointType,
                                 endpoint: try #require(harness.federation.members["c"]).endpoint + "/push/urn:uuid:again",
                                 endpointProperties: [EndpointProperty(name: "authorization", value: "t")])
        #expect(try harness.requestDirectly(harness.contract(), format: TransferFormat.push, dataAddress: target) == 201)
        let provider = try #require(try harness.summaries("p").first)
        let ended = try harness.wait("p", provider.pid, for: "TERMINATED")
        #expect(ended.state == "TERMINATED")
        #expect(ended.reason?.contains("no second copy") == true, "\(ended.reason ?? "")")
        #expect(ended.bytes < 2 * Int64(harness.datasetSize))
        let pushed = hostile.record.hits.withLock { $0.map(\.bytes).reduce(0, +) }
        #expect(pushed < 2 * harness.datasetSize, "\(pushed) bytes pushed")
    }

    @Test func parallelRequestsUnderACountOfOneServeOneCopy() throws {
        let harness = try TransferHarness(size: 10_000)
        defer { harness.stopAll() }
        try harness.start("p")
        let hostile = try harness.startHostile("c")
        let agreement = harness.contract([.atomic("count", "lteq", .string("1"))])

        // Eight transfers requested at once: the count check and the new process share one transaction, so one is
        // started and the others are denied.
        let statuses = Mutex<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let status = (try? harness.requestDirectly(agreement)) ?? 0
            statuses.withLock { $0.append(status) }
        }
        #expect(statuses.withLock { $0 } == Array(repeating: 201, count: 8))
        let deadline = ContinuousClock.now + .seconds(10)
        while hostile.record.starts.withLock({ $0.count }) < 1, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        let starts = hostile.record.starts.withLock { $0 }
        #expect(starts.count == 1)
        let transfers = try harness.summaries("p")
        #expect(transfers.count == 8)
        #expect(transfers.filter { $0.state == "TERMINATED" }.count == 7)
        let address = try #require(starts.first?.dataAddress)
        let started = try #require(transfers.first { $0.state != "TERMINATED" })
        #expect(try harness.wait("p", started.pid, for: "STARTED").state == "STARTED")

        // The started one, fetched twice at once: one response gets the copy, the other nothing.
        let codes = Mutex<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let response = try? harness.running["c"]?.context.peerClient.send(
                toURL: address.endpoint ?? "", method: .get, headers: ["Authorization": "Bearer \(address[property: "authorization"] ?? "")"])
            codes.withLock { $0.append(response?.status.code ?? 0) }
        }
        #expect(codes.withLock { $0.sorted() } == [200, 410])
    }

    @Test func aConsumersRestartIsAStartTheContractMustStillAllow() throws {
        let harness = try TransferHarness(size: 10_000)
        defer { harness.stopAll() }
        try harness.start("p")
        try harness.start("c")
        let end = Date().addingTimeInterval(4)  // written in whole seconds: at least 3 s to start and suspend
        let transfer = try harness.request(harness.contract([.atomic("dateTime", "lt", .string(XSDDateTime.format(end)))]))
        let provider = try harness.startedOnBothSides(transfer)
        #expect(try harness.call("c", .post, "/api/transfers/\(transfer.pid)/suspend").status.code == 200)
        #expect(try harness.wait("p", provider.pid, for: "SUSPENDED").state == "SUSPENDED")

        // The consumer holds the suspension and may lift it, but not past the end of the contract.
        Thread.sleep(until: end.addingTimeInterval(0.2))
        #expect(try harness.call("c", .post, "/api/transfers/\(transfer.pid)/resume").status.code == 200)
        let ended = try harness.wait("p", provider.pid, for: "TERMINATED")
        #expect(ended.state == "TERMINATED")
        #expect(ended.reason?.contains("ended at") == true, "\(ended.reason ?? "")")
        #expect(try harness.wait("c", transfer.pid, for: "TERMINATED").state == "TERMINATED")
    }

    @Test func aRefusedStartEndsTheTransferAndIsNoUse() throws {
        let harness = try TransferHarness(size: 10_000)
        defer { harness.stopAll() }
        try harness.start("p")
        let hostile = try harness.startHostile("c")
        hostile.record.refuseStarts.withLock { $0 = true }
        let agreement = harness.contract([.atomic("count", "lteq", .string("1"))])

        #expect(try harness.requestDirectly(agreement) == 201)
        let refused = try #require(try harness.summaries("p").first)
        let ended = try harness.wait("p", refused.pid, for: "TERMINATED")
        #expect(ended.state == "TERMINATED", "a refused start must not leave the transfer \(ended.state)")
        #expect(ended.reason?.contains("did not take the start") == true, "\(ended.reason ?? "")")
        let logged = try harness.auditEntries("p", kind: "transfer.terminated")
        #expect(logged.contains { $0["pid"] as? String == refused.pid })

        // It sent no data, so it was no use: a count of 1 still allows the next transfer.
        hostile.record.refuseStarts.withLock { $0 = false }
        #expect(try harness.requestDirectly(agreement) == 201)
        let next = try #require(try harness.summaries("p").first { $0.pid != refused.pid })
        #expect(try harness.wait("p", next.pid, for: "STARTED").state == "STARTED", "\(next.reason ?? "")")
    }
}
