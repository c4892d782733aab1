import Foundation
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundFederation
import VerbundHTTP
import VerbundTransport
@testable import VerbundConnector

@Suite(.offCooperativePool) struct TransferResumeTests {
    @Test func twoHundredMebibytesArePulledAndVerified() throws {
        let harness = try TransferHarness(size: 200 << 20)
        defer { harness.stopAll() }
        try harness.start("p")
        try harness.start("c")
        let transfer = try harness.request(harness.contract())
        #expect(try harness.wait("c", transfer.pid, for: "STARTED").state == "STARTED")
        let out = harness.folder.file("big.bin")
        let events = try harness.download(transfer.pid, to: out)
        #expect(events.last?.event == "verified", "\(events.suffix(2))")
        #expect(events.last?.sha256 == harness.datasetSHA256)
        #expect(DownloadFile.size(at: out) == harness.datasetSize)
        #expect(try harness.wait("c", transfer.pid, for: "COMPLETED").state == "COMPLETED")
    }

    @Test func aDownloadCutOffHalfwayResumesFromTheBytesOnDisk() throws {
        let harness = try TransferHarness(size: 8 << 20, rate: 4 << 20)
        defer { harness.stopAll() }
        try harness.start("p")
        let consumer = try harness.start("c")
        let transfer = try harness.request(harness.contract())
        #expect(try harness.wait("c", transfer.pid, for: "STARTED").state == "STARTED")
        let out = harness.folder.file("resumed.bin")

        // Like Ctrl-C on `verbund fetch`: the management client goes away mid-download, which aborts it.
        let socket = try Socket.connect(host: "127.0.0.1", port: consumer.connector.managementPort, timeout: .seconds(2))
        let stream = TCPStream(socket: socket)
        let body = Array(try JSONEncoder().encode(["out": out]))
        let head = "POST /api/transfers/\(transfer.pid)/download HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Authorization: Bearer \(consumer.connector.managementToken.value)\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.count)\r\n\r\n"
        try (Array(head.utf8) + body).withUnsafeBytes { try stream.write($0) }
        BackgroundDownload.waitForFile(out, toReach: 2 << 20)
        stream.close()
        // The daemon notices at its next progress line; then the file stops growing.
        var size = -1
        while size != DownloadFile.size(at: out) {
            size = DownloadFile.size(at: out)
            Thread.sleep(forTimeInterval: 0.5)
        }
        #expect(size > 0 && size < harness.datasetSize, "cut at \(size)")

        // Another existing file is never continued into, nor replaced unless asked.
        let other = harness.folder.file("unrelated.txt")
        try Data("Haushaltsplan 2027\n".utf8).write(to: URL(fileURLWithPath: other))
        let refused = try harness.download(transfer.pid, to: other)
        #expect(refused.last?.event == "failed" && refused.last?.error?.contains("is not a download of transfer") == true,
                "\(refused)")
        #expect(try String(contentsOfFile: other, encoding: .utf8) == "Haushaltsplan 2027\n")

        let events = try harness.download(transfer.pid, to: out)
        #expect(events.last?.event == "verified", "\(events.suffix(2))")
        #expect(events.first?.resumedAt == Int64(size), "\(events.prefix(2))")  // says where it continues
        #expect(try DownloadFile.sha256(at: out) == harness.datasetSHA256)
        let provider = try #require(try harness.providerSide(of: transfer))
        let done = try harness.wait("p", provider.pid, for: "COMPLETED")
        #expect(done.state == "COMPLETED")
        // The second request asked for the rest only: a 206 of the bytes not yet on disk.
        let served = try #require(harness.running["p"]).log.events("transfer.data.serving")
        #expect(served.count == 2)
        #expect(served.last?["status"] as? Int == 206)
        #expect(served.last?["bytes"] as? Int == harness.datasetSize - size)
    }

    @Test func theProviderRestartedMidTransferAndTheTransferCompleted() throws {
        let harness = try TransferHarness(size: 6 << 20, rate: 1 << 20)
        defer { harness.stopAll() }
        try harness.start("p")
        try harness.start("c")
        let transfer = try harness.request(harness.contract())
        let provider = try harness.startedOnBothSides(transfer)
        let out = harness.folder.file("restart.bin")

        let first = BackgroundDownload { try harness.download(transfer.pid, to: out) }
        BackgroundDownload.waitForFile(out, toReach: 1 << 20)
        harness.running["p"]?.connector.stop()
        #expect(first.events(within: 20)?.last?.event == "failed")
        let cut = DownloadFile.size(at: out)
        #expect(cut < harness.datasetSize)

        try harness.start("p")
        var events: [DownloadEvent] = []
        for _ in 0..<5 {
            events = try harness.download(transfer.pid, to: out)
            if events.last?.event == "verified" { break }
            Thread.sleep(forTimeInterval: 0.3)  // the consumer's pooled connection to the old process may be stale
        }
        #expect(events.last?.event == "verified", "\(events.suffix(2))")
        #expect(try harness.wait("c", transfer.pid, for: "COMPLETED").state == "COMPLETED")
        #expect(try harness.wait("p", provider.pid, for: "COMPLETED").state == "COMPLETED")
    }

    @Test func aMemberRevokedDuringASlowDownloadIsCutAndTerminatedOnBothSides() throws {
        let harness = try TransferHarness(size: 8 << 20, rate: 2 << 20)
        defer { harness.stopAll() }
        try harness.start("p")
        try harness.start("c")
        let transfer = try harness.request(harness.contract())
        let provider = try harness.startedOnBothSides(transfer)
        let out = harness.folder.file("revoked.bin")

        let first = BackgroundDownload { try harness.download(transfer.pid, to: out) }
        BackgroundDownload.waitForFile(out, toReach: 1 << 20)
        _ = try harness.federation.admin().revoke(memberId: "c", reason: "left the federation")
        try harness.federation.publish(to: ["p", "c"])

        #expect(first.events(within: 20)?.last?.event == "failed")
        #expect(DownloadFile.size(at: out) < harness.datasetSize)
        let providerSide = try harness.wait("p", provider.pid, for: "TERMINATED")
        #expect(providerSide.state == "TERMINATED")
        // Whichever the provider learns first ends the transfer: the new CRL (the certificate is revoked) or the new
        // registry (the member is revoked, with the admin's reason). Both name the revocation.
        #expect(providerSide.reason?.contains("revoked") == true, "\(providerSide.reason ?? "")")
        let consumerSide = try harness.wait("c", transfer.pid, for: "TERMINATED")
        #expect(consumerSide.state == "TERMINATED")
        #expect(consumerSide.reason?.contains("revoked") == true, "\(consumerSide.reason ?? "")")
    }

    @Test func aContractThatExpiresMidDownloadStopsTheData() throws {
        let harness = try TransferHarness(size: 8 << 20, rate: 2 << 20)
        defer { harness.stopAll() }
        try harness.start("p")
        try harness.start("c")
        let end = XSDDateTime.format(Date().addingTimeInterval(2.5))
        let transfer = try harness.request(harness.contract([.atomic("dateTime", "lt", .string(end))]))
        let provider = try harness.startedOnBothSides(transfer)

        let events = try harness.download(transfer.pid, to: harness.folder.file("expiring.bin"))
        #expect(events.last?.event == "failed", "\(events.suffix(2))")
        #expect(DownloadFile.size(at: harness.folder.file("expiring.bin")) < harness.datasetSize)
        let ended = try harness.wait("p", provider.pid, for: "TERMINATED")
        #expect(ended.reason?.contains("Use of this dataset ended at") == true, "\(ended.reason ?? "")")
        let consumerSide = try harness.wait("c", transfer.pid, for: "TERMINATED")
        #expect(consumerSide.reason == ended.reason)
    }
}
