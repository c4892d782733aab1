import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundCLI
import VerbundDataspace
@testable import VerbundConnector

@Suite(.offCooperativePool) struct TransferCommandTests {
    @Test func fetchRunsTheWholeTransferAndTransfersListsIt() throws {
        let harness = try TransferHarness(size: 3 << 20)
        defer { harness.stopAll() }
        try harness.start("p")
        try harness.start("c")
        let agreement = harness.contract()
        let config = try #require(harness.federation.members["c"]).configurationFile
        let out = harness.folder.file("fetched.csv")

        let console = CapturedConsole()
        let status = VerbundCommandLine.main(["fetch", "--config", config, "--agreement", agreement, "--out", out], console: console)
        #expect(status == 0, "\(console.standardError)")
        #expect(console.standardOutput.contains("sha-256 \(harness.datasetSHA256) verified"), "\(console.standardOutput)")
        #expect(try DownloadFile.sha256(at: out) == harness.datasetSHA256)

        let listing = CapturedConsole()
        #expect(VerbundCommandLine.main(["transfers", "list", "--config", config, "--json"], console: listing) == 0)
        let listed = try ManagementJSON.decoder().decode([String: [TransferSummary]].self, from: Data(listing.standardOutput.utf8))
        let transfer = try #require(listed["transfers"]?.first)
        #expect(transfer.state == "COMPLETED" && transfer.role == "consumer")

        let shown = CapturedConsole()
        #expect(VerbundCommandLine.main(["transfers", "show", transfer.pid, "--config", config], console: shown) == 0)
        #expect(shown.standardOutput.contains("COMPLETED"))
        let late = CapturedConsole()
        #expect(VerbundCommandLine.main(["transfers", "suspend", transfer.pid, "--config", config], console: late) == 1)
        #expect(late.standardError.contains("STARTED"), "\(late.standardError)")
    }

    @Test func fetchFailsWithTheProvidersReasonAndOnBadUsage() throws {
        let harness = try TransferHarness(size: 1000)
        defer { harness.stopAll() }
        try harness.start("p")
        try harness.start("c")
        let expired = harness.contract([.atomic("dateTime", "lt", .string("2020-01-01T00:00:00Z"))])
        let config = try #require(harness.federation.members["c"]).configurationFile
        let out = harness.folder.file("never.csv")

        let console = CapturedConsole()
        let status = VerbundCommandLine.main(["fetch", "--config", config, "--agreement", expired, "--out", out], console: console)
        #expect(status == 1)
        #expect(console.standardError.contains("TERMINATED") && console.standardError.contains("2020-01-01"),
                "\(console.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out))

        let unknown = CapturedConsole()
        #expect(VerbundCommandLine.main(["fetch", "--config", config, "--agreement", "urn:uuid:none", "--out", out], console: unknown) == 1)
        #expect(unknown.standardError.contains("negotiate one first"), "\(unknown.standardError)")
        let usage = CapturedConsole()
        #expect(VerbundCommandLine.main(["fetch", "--config", config, "--agreement", expired, "--out", out, "--format", "fax"],
                                        console: usage) == 2)
        #expect(VerbundCommandLine.main(["fetch", "--config", config, "--out", out], console: CapturedConsole()) == 2)
    }

    @Test func progressLinesShowRateAndETA() {
        let bar = TransferProgressBar(isTerminal: true) { _ in }
        let line = bar.line(bytes: 50 << 20, total: 100 << 20, rate: Double(10 << 20), bar: true)
        #expect(line.contains("[###############...............]"))
        #expect(line.contains(" 50%") && line.contains("50.0 MiB of 100.0 MiB") && line.contains("10.0 MiB/s"))
        #expect(line.contains("ETA 0:05"))
        #expect(TransferProgressBar.clock(3725) == "1:02:05")
        #expect(TransferProgressBar.size(512) == "512 B")
    }
}
