import Foundation
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundHTTP
@testable import VerbundCLI
@testable import VerbundConnector
import VerbundTrust

@Suite(.offCooperativePool) struct TransferPushTests {
    @Test func theProviderPushesToTheConsumerWhichVerifiesBeforeItCompletes() throws {
        let harness = try TransferHarness(size: 20 << 20)
        defer { harness.stopAll() }
        try harness.start("p")
        try harness.start("c")
        let agreement = harness.contract()
        let config = try #require(harness.federation.members["c"]).configurationFile
        let out = harness.folder.file("pushed.bin")

        let console = CapturedConsole()
        let status = VerbundCommandLine.main(["fetch", "--config", config, "--agreement", agreement, "--out", out,
                                              "--format", "push", "--json"], console: console)
        #expect(status == 0, "\(console.standardError)")
        #expect(try DownloadFile.sha256(at: out) == harness.datasetSHA256)
        let consumerSide = try #require(try harness.summaries("c").first)
        #expect(consumerSide.state == "COMPLETED" && consumerSide.format == TransferFormat.push)
        #expect(consumerSide.sha256 == harness.datasetSHA256)
        let provider = try #require(try harness.providerSide(of: consumerSide))
        let done = try harness.wait("p", provider.pid, for: "COMPLETED")
        #expect(done.state == "COMPLETED")
        #expect(done.bytes == Int64(harness.datasetSize))
        try harness.validateSentMessages()
    }

    @Test func thePushTargetRefusesOtherMembersMissingTokensAndFinishedTransfers() throws {
        let harness = try TransferHarness(size: 1000, members: ["p", "c", "x"])
        defer { harness.stopAll() }
        let provider = try harness.start("p")
        try harness.start("c")
        let intruder = try harness.start("x")
        let agreement = harness.contract()
        let response = try harness.call("c", .post, "/api/transfers",
                                        json: ["agreementId": agreement, "format": TransferFormat.push, "out": harness.folder.file("in")])
        #expect(response.status.code == 201)
        let transfer = try ManagementJSON.decoder().decode(TransferSummary.self, from: Data(response.body))
        #expect(try harness.wait("c", transfer.pid, for: "COMPLETED").state == "COMPLETED")
        let noOut = try harness.call("c", .post, "/api/transfers", json: ["agreementId": agreement, "format": TransferFormat.push])
        #expect(noOut.status.code == 400)

        let consumer = try #require(harness.running["c"])
        let record = try #require(try consumer.context.database.read { tx in try TransferTable.find(localPid: transfer.pid, in: tx) })
        let endpoint = try #require(record.dataAddress?.endpoint)
        let token = try #require(record.token)
        let piece = Array("hello".utf8)
        let digest = "sha-256=:" + Data(SHA256.hash(piece)).base64EncodedString() + ":"
        var fields: HTTPHeaders = ["Authorization": "Bearer \(token)", "Content-Range": "bytes 0-4/5",
                                   "Content-Digest": digest, "Repr-Digest": digest]
        let foreign = try intruder.context.peerClient.send(toURL: endpoint, method: .put, headers: fields, body: piece)
        #expect(foreign.status.code == 404)
        let finished = try provider.context.peerClient.send(toURL: endpoint, method: .put, headers: fields, body: piece)
        #expect(finished.status.code == 409)
        fields.remove("Authorization")
        let noToken = try provider.context.peerClient.send(toURL: endpoint, method: .put, headers: fields, body: piece)
        #expect(noToken.status.code == 401)
        #expect(try DownloadFile.sha256(at: harness.folder.file("in")) == harness.datasetSHA256)

        #expect(PushRange("bytes 5-4/10") == nil)
        #expect(PushRange("bytes 0-9/5") == nil)
        #expect(PushRange("0-4/5") == nil)
        #expect(PushRange("bytes 0-4/5") == PushRange(first: 0, last: 4, total: 5))
    }
}
