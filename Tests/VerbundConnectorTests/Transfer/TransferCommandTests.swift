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

    @Test func fetchChecksOutFirstRefusesToClobberAndNeverSpendsATransferTwice() throws {
        let harness = try TransferHarness(size: 1000)
        defer { harness.stopAll() }
        try harness.start("p")
        try harness.start("c")
        let agreement = harness.contract()
        let config = try #require(harness.federation.members["c"]).configurationFile
        func fetch(_ out: String, _ extra: [String] = []) -> (status: Int32, out: String, err: String) {
            let console = CapturedConsole()
            let status = VerbundCommandLine.main(["fetch", "--config", config, "--agreement", agreement, "--out", out] + extra,
                                                 console: console)
            return (status, console.standardOutput, console.standardError)
        }
        func transfers() throws -> [TransferSummary] {
            let listing = CapturedConsole()
            _ = VerbundCommandLine.main(["transfers", "list", "--config", config, "--json"], console: listing)
            return try ManagementJSON.decoder().decode([String: [TransferSummary]].self, from: Data(listing.standardOutput.utf8))["transfers"] ?? []
        }

        let noFolder = fetch(harness.folder.file("fehlt/daten.csv"))
        #expect(noFolder.status == 1 && noFolder.err.contains("does not exist; create it first"), "\(noFolder.err)")
        let folder = fetch(harness.folder.path)
        #expect(folder.status == 1 && folder.err.contains("is a folder"), "\(folder.err)")
        let unrelated = harness.folder.file("haushalt.csv")
        try Data("Haushaltsplan\n".utf8).write(to: URL(fileURLWithPath: unrelated))
        let clobber = fetch(unrelated)
        #expect(clobber.status == 1 && clobber.err.contains("exists and is not a download of agreement"), "\(clobber.err)")
        #expect(clobber.err.contains("--force"))
        #expect(try String(contentsOfFile: unrelated, encoding: .utf8) == "Haushaltsplan\n")
        #expect(try transfers().isEmpty)  // nothing was requested for a path that cannot work

        let forced = fetch(unrelated, ["--force"])
        #expect(forced.status == 0, "\(forced.err)")
        #expect(try DownloadFile.sha256(at: unrelated) == harness.datasetSHA256)
        #expect(!forced.out.contains("/s"), "\(forced.out)")  // no rate for a download shorter than a second

        // A cron job running the same fetch again spends no transfer while the file holds the verified data.
        let again = fetch(unrelated)
        #expect(again.status == 0 && again.out.contains("Already fetched"), "\(again.out)")
        let json = fetch(unrelated, ["--json"])
        #expect(json.status == 0 && json.out.contains("\"alreadyFetched\":true"), "\(json.out)")
        #expect(try transfers().count == 1)
        // Changed on disk, the file is no longer that data: it is not overwritten without --force.
        try Data("bearbeitet\n".utf8).write(to: URL(fileURLWithPath: unrelated))
        #expect(fetch(unrelated).status == 1)
        #expect(try transfers().count == 1)
    }

    @Test func aProviderThatDoesNotAnswerIsNamedWithinSeconds() throws {
        let harness = try TransferHarness(size: 1000)
        defer { harness.stopAll() }
        let consumer = try harness.start("c")  // the provider p is not running
        let agreement = harness.contract()
        let config = try #require(harness.federation.members["c"]).configurationFile
        let console = CapturedConsole()
        let began = Date()
        var fetch = TransferFetch(client: try ManagementClient(configurationFile: config), console: console, json: false)
        fetch.startTimeout = 8
        #expect(throws: CLIError.self) { try fetch.run(agreement: agreement, out: harness.folder.file("x.csv"), format: TransferFormat.pull) }
        #expect(Date().timeIntervalSince(began) < 20)
        #expect(console.standardError.contains("p does not answer"), "\(console.standardError)")
        #expect(console.standardError.contains("run this command again to retry at once"))
        // Running it again sends the queued request at once instead of after its backoff.
        let retried = try consumer.management("/api/outbox/retry?member=p", method: .post, body: [])
        #expect(retried.status.code == 200)
        #expect(try consumer.management("/api/outbox/retry?member=nobody", method: .post, body: []).status.code == 404)
    }

    @Test func progressLinesShowRateAndETA() {
        let bar = TransferProgressBar(isTerminal: true) { _ in }
        let line = bar.line(bytes: 50 << 20, total: 100 << 20, rate: Double(10 << 20), bar: true)
        #expect(line.contains("[###############...............]"))
        #expect(line.contains(" 50%") && line.contains("50.0 MiB of 100.0 MiB") && line.contains("10.0 MiB/s"))
        #expect(line.contains("ETA 0:05"))
        #expect(TransferProgressBar.clock(3725) == "1:02:05")
        #expect(TransferProgressBar.size(512) == "512 B")
        #expect(!bar.line(bytes: 512, total: 512, rate: nil, bar: false).contains("/s"))
    }
}
