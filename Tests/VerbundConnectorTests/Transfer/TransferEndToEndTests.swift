import Foundation
import Testing
import VerbundTestSupport
import VerbundDataspace
@testable import VerbundConnector

/// Transfers under contracts made by real negotiations (the negotiation module's `NegotiationContracts`).
@Suite(.offCooperativePool) struct TransferEndToEndTests {
    @Test func negotiateThenPullWithACountOfOne() throws {
        let bed = try NegotiationTestbed(members: ["p", "c"])
        let harness = try TransferHarness(size: 2 << 20, members: ["p", "c"], federation: bed.federation)
        defer { harness.stopAll() }
        bed.publish(at: "p", dataset: harness.datasetId, constraints: [.atomic("count", "lteq", .string("1"))])
        harness.running["p"] = try bed.start("p", extra: [TransferModule(contracts: NegotiationContracts(), files: harness.files)])
        let consumer = try bed.start("c", extra: [TransferModule(contracts: NegotiationContracts(), files: DatasetFileList([:]))])
        harness.running["c"] = consumer

        let negotiation = try bed.negotiate(consumer, peer: "p", dataset: harness.datasetId)
        let finished = try bed.waitUntilFinished(consumer, negotiation.id)
        #expect(finished.state == "FINALIZED")
        let agreementId = try #require(finished.agreementId)

        let transfer = try harness.request(agreementId)
        #expect(try harness.wait("c", transfer.pid, for: "STARTED").state == "STARTED")
        let out = harness.folder.file("negotiated.bin")
        let events = try harness.download(transfer.pid, to: out)
        #expect(events.last?.event == "verified", "\(events.suffix(2))")
        #expect(try harness.wait("c", transfer.pid, for: "COMPLETED").state == "COMPLETED")
        let provider = try #require(try harness.providerSide(of: transfer))
        #expect(try harness.wait("p", provider.pid, for: "COMPLETED").state == "COMPLETED")

        // count = 1: the second transfer under the same contract is terminated with the reason.
        let second = try harness.request(agreementId)
        let refused = try harness.wait("c", second.pid, for: "TERMINATED")
        #expect(refused.state == "TERMINATED")
        #expect(refused.reason?.contains("At most 1 transfer") == true, "\(refused.reason ?? "")")
        try harness.validateSentMessages()
        #expect(try bed.validateWire().isEmpty)
    }
}
