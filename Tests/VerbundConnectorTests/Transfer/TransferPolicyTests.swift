import Foundation
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundHTTP
import VerbundTransport
import VerbundTrust
@testable import VerbundConnector

@Suite(.offCooperativePool) struct TransferPolicyTests {
    @Test func aCountOfTwoAllowsExactlyTwoTransfers() throws {
        let harness = try TransferHarness(size: 10_000)
        defer { harness.stopAll() }
        try harness.start("p")
        try harness.start("c")
        let agreement = harness.contract([.atomic("count", "lteq", .string("2"))])
        for round in 1...2 {
            let transfer = try harness.request(agreement)
            #expect(try harness.wait("c", transfer.pid, for: "STARTED").state == "STARTED", "round \(round)")
            let events = try harness.download(transfer.pid, to: harness.folder.file("out-\(round)"))
            #expect(events.last?.event == "verified", "round \(round): \(events)")
            #expect(try harness.wait("c", transfer.pid, for: "COMPLETED").state == "COMPLETED")
            let provider = try #require(try harness.providerSide(of: transfer))
            #expect(try harness.wait("p", provider.pid, for: "COMPLETED").state == "COMPLETED")
        }
        let third = try harness.request(agreement)
        let ended = try harness.wait("c", third.pid, for: "TERMINATED")
        #expect(ended.state == "TERMINATED")
        #expect(ended.reason?.contains("At most 2 transfers") == true, "\(ended.reason ?? "")")
        let provider = try #require(try harness.providerSide(of: third))
        #expect(provider.state == "TERMINATED")
        try harness.validateSentMessages()
    }

    @Test func parallelTransfersCannotTogetherExceedTheCount() throws {
        let harness = try TransferHarness(size: 10_000)
        defer { harness.stopAll() }
        try harness.start("p")
        let consumer = try harness.start("c")
        let agreement = harness.contract([.atomic("count", "lteq", .string("1"))])
        let first = try harness.request(agreement)
        #expect(try harness.wait("c", first.pid, for: "STARTED").state == "STARTED")
        // The management API reuses the running transfer, so a second one is asked for directly over DSP.
        let second = TransferRequestMessage(id: "urn:uuid:" + UUID().uuidString.lowercased(),
                                            consumerPid: "urn:uuid:" + UUID().uuidString.lowercased(), agreementId: agreement,
                                            format: TransferFormat.pull,
                                            callbackAddress: harness.federation.members["c"]!.endpoint + "/callback")
        let answer = try consumer.context.peerClient.send(toMember: "p", method: .post, path: "/transfers/request",
                                                         body: Array(try DSPJSON.encode(second)))
        #expect(answer.status.code == 201)
        let secondAtProvider = try #require(try harness.summaries("p").first { $0.consumerPid == second.consumerPid })
        #expect(secondAtProvider.state == "TERMINATED")
        #expect(secondAtProvider.reason?.contains("At most 1 transfer") == true, "\(secondAtProvider.reason ?? "")")
        // The first still runs to the end.
        let events = try harness.download(first.pid, to: harness.folder.file("only"))
        #expect(events.last?.event == "verified", "\(events.suffix(2))")
    }

    @Test func aValidityWindowThatHasPassedTerminatesTheRequest() throws {
        let harness = try TransferHarness(size: 1000)
        defer { harness.stopAll() }
        try harness.start("p")
        try harness.start("c")
        let agreement = harness.contract([.atomic("dateTime", "lt", .string("2020-01-01T00:00:00Z"))])
        let transfer = try harness.request(agreement)
        let ended = try harness.wait("c", transfer.pid, for: "TERMINATED")
        #expect(ended.state == "TERMINATED")
        #expect(ended.reason?.contains("ended at 2020-01-01") == true, "\(ended.reason ?? "")")
        let events = try harness.download(transfer.pid, to: harness.folder.file("never"))
        #expect(events.last?.event == "failed")
        #expect(!FileManager.default.fileExists(atPath: harness.folder.file("never")))
    }

    @Test func anUnknownAgreementIsTerminatedWithAReason() throws {
        let harness = try TransferHarness(size: 1000)
        defer { harness.stopAll() }
        try harness.start("p")
        try harness.start("c")
        // The consumer believes in a contract the provider never finalized.
        let agreement = harness.contract()
        harness.contracts["p"]?.removeAll()
        let transfer = try harness.request(agreement)
        let ended = try harness.wait("c", transfer.pid, for: "TERMINATED")
        #expect(ended.reason?.contains("no finalized agreement") == true, "\(ended.reason ?? "")")
        // Refusals that need no running consumer (bad formats, foreign callbacks, unknown processes) are in
        // TransferRouteTests.
    }

    @Test func theDataPlaneRefusesWrongMembersMissingTokensAndForeignProcesses() throws {
        let harness = try TransferHarness(size: 5000, members: ["p", "c", "x"])
        defer { harness.stopAll() }
        try harness.start("p")
        let consumer = try harness.start("c")
        let intruder = try harness.start("x")
        let agreement = harness.contract()
        let transfer = try harness.request(agreement)
        let started = try harness.wait("c", transfer.pid, for: "STARTED")
        #expect(started.state == "STARTED")
        let record = try #require(try consumer.context.database.read { tx in try TransferTable.find(localPid: transfer.pid, in: tx) })
        let address = try #require(record.dataAddress)
        let endpoint = try #require(address.endpoint)
        let token = try #require(address[property: "authorization"])
        #expect(address[property: "authType"] == "bearer")
        #expect(address[property: DatasetKind.addressProperty] == "file")
        #expect(address.endpointType == TransferFormat.endpointType)
        // Wait until the provider is STARTED as well (it moves on the consumer's acknowledgement).
        let provider = try #require(try harness.providerSide(of: transfer))
        #expect(try harness.wait("p", provider.pid, for: "STARTED").state == "STARTED")

        // A stale If-Range gets the whole representation (RFC 9110 §13.1.5).
        let right = try consumer.context.peerClient.send(toURL: endpoint, method: .get, headers: [
            "Authorization": "Bearer \(token)", "Range": "bytes=1000-", "If-Range": "\"old\"",
        ])
        #expect(right.status.code == 200)
        #expect(right.body.count == harness.datasetSize)
        #expect(right.headers["Content-Length"] == String(harness.datasetSize))
        #expect(right.headers["ETag"] == "\"sha256-\(harness.datasetSHA256)\"")
        let digest = "sha-256=:" + Data(Hex.decode(harness.datasetSHA256)!).base64EncodedString() + ":"
        #expect(right.headers["Content-Digest"] == digest)

        let ranged = try consumer.context.peerClient.send(toURL: endpoint, method: .get, headers: [
            "Authorization": "Bearer \(token)", "Range": "bytes=1000-", "If-Range": "\"sha256-\(harness.datasetSHA256)\"",
        ])
        #expect(ranged.status.code == 206)
        #expect(ranged.body.count == harness.datasetSize - 1000)
        #expect(ranged.headers["Repr-Digest"] == digest)
        // One copy and a resumed range went out: a second whole copy does not.
        let again = try consumer.context.peerClient.send(toURL: endpoint, method: .get, headers: ["Authorization": "Bearer \(token)"])
        #expect(again.status.code == 410 && again.body.count < 500)

        let stolen = try intruder.context.peerClient.send(toURL: endpoint, method: .get, headers: ["Authorization": "Bearer \(token)"])
        #expect(stolen.status.code == 403)
        #expect(stolen.body.count < 500)
        let noToken = try consumer.context.peerClient.send(toURL: endpoint, method: .get)
        #expect(noToken.status.code == 401)
        #expect(noToken.headers["WWW-Authenticate"]?.hasPrefix("Bearer") == true)
        let wrongToken = try consumer.context.peerClient.send(toURL: endpoint, method: .get,
                                                             headers: ["Authorization": "Bearer \(token.dropLast())x"])
        #expect(wrongToken.status.code == 401)
        let nowhere = try consumer.context.peerClient.send(toURL: endpoint + "x", method: .get,
                                                          headers: ["Authorization": "Bearer \(token)"])
        #expect(nowhere.status.code == 404)
        // The intruder cannot read or drive the process either.
        let peek = try intruder.context.peerClient.send(toMember: "p", method: .get, path: "/transfers/\(provider.pid)")
        #expect(peek.status.code == 404)
        #expect(try harness.summary("p", provider.pid).state == "STARTED")
    }

    @Test func suspensionStopsDataUntilResumed() throws {
        let harness = try TransferHarness(size: 5000)
        defer { harness.stopAll() }
        try harness.start("p")
        let consumer = try harness.start("c")
        let transfer = try harness.request(harness.contract())
        let provider = try harness.startedOnBothSides(transfer)

        let suspended = try harness.call("p", .post, "/api/transfers/\(provider.pid)/suspend", json: ["reason": "maintenance"])
        #expect(suspended.status.code == 200)
        #expect(try harness.wait("c", transfer.pid, for: "SUSPENDED").reason == "maintenance")
        let events = try harness.download(transfer.pid, to: harness.folder.file("out"))
        #expect(events.last?.event == "failed")
        let record = try #require(try consumer.context.database.read { tx in try TransferTable.find(localPid: transfer.pid, in: tx) })
        let token = try #require(record.dataAddress?[property: "authorization"])
        let blocked = try consumer.context.peerClient.send(toURL: try #require(record.dataAddress?.endpoint), method: .get,
                                                          headers: ["Authorization": "Bearer \(token)"])
        #expect(blocked.status.code == 409)

        // The provider holds the suspension: the consumer cannot lift it; the provider can.
        let lifted = try harness.call("c", .post, "/api/transfers/\(transfer.pid)/resume")
        #expect(lifted.status.code == 409, "\(String(decoding: lifted.body, as: UTF8.self))")
        let resumed = try harness.call("p", .post, "/api/transfers/\(provider.pid)/resume")
        #expect(resumed.status.code == 200)
        #expect(try harness.wait("c", transfer.pid, for: "STARTED").state == "STARTED")
        #expect(try harness.wait("p", provider.pid, for: "STARTED").state == "STARTED")
        let again = try harness.download(transfer.pid, to: harness.folder.file("out"))
        #expect(again.last?.event == "verified", "\(again)")
        #expect(try harness.wait("p", provider.pid, for: "COMPLETED").state == "COMPLETED")
        // The consumer moves when the provider's acknowledgement of its completion is handled.
        #expect(try harness.wait("c", transfer.pid, for: "COMPLETED").state == "COMPLETED")

        let terminateDone = try harness.call("c", .post, "/api/transfers/\(transfer.pid)/terminate")
        #expect(terminateDone.status.code == 409)
        try harness.validateSentMessages()
    }
}
