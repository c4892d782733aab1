import Foundation
import Testing
import VerbundTestSupport
import VerbundAudit
import VerbundCLI
import VerbundDataspace
@testable import VerbundConnector

/// Evidence of a contract made by a real negotiation (negotiation module) and used by a real transfer (transfer
/// module), exported by both parties and verified offline.
@Suite(.offCooperativePool) struct EvidenceEndToEndTests {
    @Test func negotiatedAndTransferredContractVerifiesOnBothSides() throws {
        let bed = try NegotiationTestbed(members: ["p", "c"])
        let harness = try TransferHarness(size: 1 << 20, members: ["p", "c"], federation: bed.federation)
        defer { harness.stopAll() }
        bed.publish(at: "p", dataset: harness.datasetId, constraints: [.atomic("count", "lteq", .string("2"))])
        let audit = AuditModule(contracts: NegotiationContracts(), settings: .init(signInterval: .milliseconds(50)))
        harness.running["p"] = try bed.start("p", extra: [TransferModule(contracts: NegotiationContracts(), files: harness.files), audit])
        let consumer = try bed.start("c", extra: [
            TransferModule(contracts: NegotiationContracts(), files: DatasetFileList([:])),
            AuditModule(contracts: NegotiationContracts(), settings: .init(signInterval: .milliseconds(50))),
        ])
        harness.running["c"] = consumer

        let negotiation = try bed.negotiate(consumer, peer: "p", dataset: harness.datasetId, purpose: "Verkehrsplanung")
        let agreementId = try #require(try bed.waitUntilFinished(consumer, negotiation.id).agreementId)
        let transfer = try harness.request(agreementId)
        #expect(try harness.wait("c", transfer.pid, for: "STARTED").state == "STARTED")
        let events = try harness.download(transfer.pid, to: harness.folder.file("data.bin"))
        #expect(events.last?.event == "verified")
        #expect(try harness.wait("c", transfer.pid, for: "COMPLETED").state == "COMPLETED")
        let provider = try #require(try harness.providerSide(of: transfer))
        #expect(try harness.wait("p", provider.pid, for: "COMPLETED").state == "COMPLETED")

        for side in ["p", "c"] {
            let running = try #require(harness.running[side])
            let response = try running.management("/api/contracts/\(agreementId)/evidence")
            #expect(response.status.code == 200, "\(side): \(String(decoding: response.body, as: UTF8.self))")
            let verification = EvidenceVerifier.verify(response.body, root: running.context.trust.root)
            #expect(verification.report.succeeded, "\(side): \(verification.report.failed)")
            let summary = try #require(verification.summary)
            #expect(summary.provider.memberId == "p" && summary.consumer.memberId == "c")
            #expect(summary.dataset == harness.datasetId)
            #expect(summary.rules.contains("at most 2 transfers"))
            #expect(summary.events.contains { $0.kind.hasPrefix("negotiation.") }, "\(side): \(summary.events.map(\.kind))")
            let moved = summary.transfers.filter { $0.bytes == Int64(harness.datasetSize) }
            #expect(!moved.isEmpty, "\(side): \(summary.transfers)")
            #expect(moved.allSatisfy { $0.sha256 == harness.datasetSHA256 })
        }

        // `verbund contracts export ID --evidence` writes the same kind of bundle.
        let out = harness.folder.file("bundle.json")
        let console = CapturedConsole()
        let status = VerbundCommandLine.main(["contracts", "export", agreementId, "--evidence", "--out", out,
                                              "--config", bed.federation.members["c"]!.configurationFile], console: console)
        #expect(status == 0, "\(console.standardError)")
        let rootFile = bed.federation.members["c"]!.federationFolder + "/root.pem"
        let verify = CapturedConsole()
        #expect(VerbundCommandLine.main(["audit", "verify", out, "--root", rootFile], console: verify) == 0, "\(verify.standardOutput)")
        #expect(verify.standardOutput.contains("sha-256 \(harness.datasetSHA256)"))

        // The DSP exchanges carried each side's signed tree head, and each side found the other's consistent.
        for (side, peer) in [("p", "c"), ("c", "p")] {
            let running = try #require(harness.running[side])
            #expect(try eventually {
                try running.rows("SELECT status FROM audit_peer_state WHERE member_id = '\(peer)'").first?.string("status") == "consistent"
            }, "\(side) holds no consistent head of \(peer)")
        }
        #expect(try bed.validateWire().isEmpty)
    }
}
