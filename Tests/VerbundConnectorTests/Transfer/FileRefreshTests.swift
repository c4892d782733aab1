import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundCLI
import VerbundDataspace
import VerbundHTTP
@testable import VerbundConnector

/// Files that change: a published CSV grows after publication; transfers keep the version they started with, a
/// refresh publishes the next one, failing refreshes keep the last good one, and scheduled refreshes run by themselves
/// (docs/operator.md, "Files that change").
@Suite(.offCooperativePool) struct FileRefreshTests {
    final class Bed: Sendable {
        let harness: TransferHarness
        let source: String

        init() throws {
            harness = try TransferHarness(size: 10)
            source = harness.folder.file("parken.csv")
            try Data("haus;frei\nMitte;12\n".utf8).write(to: URL(fileURLWithPath: source))
            harness.running["p"] = try harness.federation.start("p", modules: [
                CatalogModule(crawls: false),
                TransferModule(contracts: harness.contracts["p"]!, files: CatalogDatasetFiles(), dataRecheck: .milliseconds(200)),
            ])
            harness.running["c"] = try harness.federation.start("c", modules: [CatalogModule(crawls: false), harness.module("c")])
        }

        func config(_ id: String) -> String { harness.federation.members[id]!.configurationFile }

        func run(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
            let console = CapturedConsole()
            let status = VerbundCommandLine.main(arguments, console: console)
            return (status, console.standardOutput, console.standardError)
        }

        func listed(_ id: String) throws -> PublishedDatasetSummary? {
            let listing = run(["datasets", "list", "--config", config("p"), "--json"])
            #expect(listing.status == 0, "\(listing.err)")
            return try ManagementJSON.decoder().decode([PublishedDatasetSummary].self, from: Data(listing.out.utf8)).first { $0.id == id }
        }

        func append(_ text: String, to path: String) throws {
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
            try handle.close()
        }

        var snapshots: String { (try? harness.federation.configuration("p").dataDirectory).map { $0 + "/snapshots" } ?? "" }
    }

    @Test func aRunningTransferKeepsItsVersionAndANewTransferGetsTheRefreshedOne() throws {
        let bed = try Bed()
        let harness = bed.harness
        defer { harness.stopAll() }
        let published = bed.run(["datasets", "publish", "--config", bed.config("p"), "--file", bed.source, "--title", "Parken", "--description", "Testdaten",
                                 "--id", harness.datasetId])
        #expect(published.status == 0, "\(published.err)")
        let v1 = try DownloadFile.sha256(at: bed.source)
        #expect(try bed.listed(harness.datasetId)?.version == v1)
        #expect(FileManager.default.fileExists(atPath: bed.snapshots + "/" + v1))
        // A refused publication leaves no snapshot behind.
        let other = try CatalogHarness.dataFile(harness.folder, "other.csv", "something else\n")
        let duplicate = bed.run(["datasets", "publish", "--config", bed.config("p"), "--file", other, "--title", "X", "--description", "Testdaten",
                                 "--id", harness.datasetId])
        #expect(duplicate.status == 1 && duplicate.err.contains("already published"), "\(duplicate.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: bed.snapshots) == [v1])
        let agreement = harness.contract()

        // A transfer starts on version 1; the source grows; unchanged before, so a refresh says so first.
        let unchanged = bed.run(["datasets", "refresh", harness.datasetId, "--config", bed.config("p")])
        #expect(unchanged.status == 0 && unchanged.out.contains("unchanged"), "\(unchanged)")
        let first = try harness.request(agreement)
        #expect(try harness.wait("c", first.pid, for: "STARTED").state == "STARTED")
        try bed.append("Nord;3\n", to: bed.source)
        let v2 = try DownloadFile.sha256(at: bed.source)
        let refreshed = bed.run(["datasets", "refresh", harness.datasetId, "--config", bed.config("p")])
        #expect(refreshed.status == 0, "\(refreshed.err)")
        #expect(refreshed.out.contains("published version \(v2)") && refreshed.out.contains("previous \(v1)"), "\(refreshed.out)")
        let summary = try #require(try bed.listed(harness.datasetId))
        #expect(summary.version == v2 && summary.byteSize == 26 && summary.sha256 == v2)
        #expect(summary.modified != nil && summary.lastRefreshError == nil)
        // The started transfer pins version 1: the collection after the refresh kept it.
        #expect(FileManager.default.fileExists(atPath: bed.snapshots + "/" + v1))

        let out1 = harness.folder.file("first.csv")
        let events = try harness.download(first.pid, to: out1)
        #expect(events.last?.event == "verified" && events.last?.sha256 == v1, "\(events.suffix(2))")
        #expect(try String(contentsOfFile: out1, encoding: .utf8) == "haus;frei\nMitte;12\n")
        let address = try #require(try harness.running["c"]!.context.database.read { tx in
            try TransferTable.find(localPid: first.pid, in: tx)?.dataAddress
        })
        #expect(address[property: TransferFormat.datasetVersionProperty] == v1)
        #expect(try harness.wait("p", try #require(try harness.providerSide(of: first)).pid, for: "COMPLETED").state == "COMPLETED")

        // A new transfer gets version 2, and fetch says which version it got.
        let out2 = harness.folder.file("second.csv")
        let fetched = bed.run(["fetch", "--config", bed.config("c"), "--agreement", agreement, "--out", out2])
        #expect(fetched.status == 0, "\(fetched.err)")
        #expect(fetched.out.contains("Dataset version \(v2)"), "\(fetched.out)")
        #expect(try String(contentsOfFile: out2, encoding: .utf8) == "haus;frei\nMitte;12\nNord;3\n")
        let received = try harness.auditEntries("c", kind: "transfer.received")
        #expect(Set(received.compactMap { $0["datasetVersion"] as? String }) == [v1, v2], "\(received)")
        let completed = try harness.auditEntries("c", kind: "transfer.completed")
        #expect(Set(completed.compactMap { $0["datasetVersion"] as? String }) == [v1, v2], "\(completed)")

        // Nothing pins version 1 any more: the next refresh's collection removes its snapshot, keeps version 2.
        #expect(bed.run(["datasets", "refresh", harness.datasetId, "--config", bed.config("p")]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: bed.snapshots + "/" + v1))
        #expect(FileManager.default.fileExists(atPath: bed.snapshots + "/" + v2))

        // The catalog a peer reads shows the new digest and size.
        let catalog = bed.run(["catalog", "--peer", "p", "--config", bed.config("c"), "--json"])
        #expect(catalog.status == 0, "\(catalog.err)")
        #expect(catalog.out.contains(v2) && !catalog.out.contains(v1), "\(catalog.out.prefix(600))")

        // The same fetch again (a cron job) spends no transfer while the file holds the current version...
        let again = bed.run(["fetch", "--config", bed.config("c"), "--agreement", agreement, "--out", out2])
        #expect(again.status == 0 && again.out.contains("Already fetched"), "\(again.out) \(again.err)")
        // ...and fetches the next version once the provider published it and the crawl has seen it.
        try bed.append("Ost;9\n", to: bed.source)
        let v3 = try DownloadFile.sha256(at: bed.source)
        #expect(bed.run(["datasets", "refresh", harness.datasetId, "--config", bed.config("p")]).status == 0)
        let crawled = bed.run(["catalog", "--crawl", "--config", bed.config("c")])
        #expect(crawled.status == 0, "\(crawled.err)")
        let newer = bed.run(["fetch", "--config", bed.config("c"), "--agreement", agreement, "--out", out2])
        #expect(newer.status == 0 && newer.err.contains("new version") && newer.out.contains("Dataset version \(v3)"),
                "\(newer.out) \(newer.err)")
        #expect(try DownloadFile.sha256(at: out2) == v3)
    }

    @Test func aFailingRefreshKeepsServingTheLastGoodVersionAndSaysWhy() throws {
        let bed = try Bed()
        let harness = bed.harness
        defer { harness.stopAll() }
        #expect(bed.run(["datasets", "publish", "--config", bed.config("p"), "--file", bed.source, "--title", "Parken", "--description", "Testdaten",
                         "--id", harness.datasetId]).status == 0)
        let v1 = try DownloadFile.sha256(at: bed.source)
        try FileManager.default.removeItem(atPath: bed.source)
        let failed = bed.run(["datasets", "refresh", harness.datasetId, "--config", bed.config("p")])
        #expect(failed.status == 1)
        #expect(failed.err.contains("no such file") && failed.err.contains("last good version stays published"), "\(failed.err)")
        let summary = try #require(try bed.listed(harness.datasetId))
        #expect(summary.version == v1 && summary.lastRefreshError?.contains("no such file") == true)
        #expect(summary.lastRefreshAttempt != nil)
        let shown = bed.run(["datasets", "list", "--config", bed.config("p")])
        #expect(shown.out.contains("last refresh failed at") && shown.out.contains("version: \(v1)"), "\(shown.out)")
        let metrics = String(decoding: try harness.call("p", .get, "/metrics").body, as: UTF8.self)
        #expect(metrics.contains("verbund_catalog_refresh_failures_total 1"), "\(metrics)")
        #expect(metrics.contains("verbund_catalog_refresh_failing_datasets 1"))
        #expect(!harness.running["p"]!.log.events("catalog.dataset.refresh-failed").isEmpty)

        // Still served: a transfer gets version 1 from the snapshot.
        let out = harness.folder.file("after-failure.csv")
        let fetched = bed.run(["fetch", "--config", bed.config("c"), "--agreement", harness.contract(), "--out", out])
        #expect(fetched.status == 0 && fetched.out.contains("Dataset version \(v1)"), "\(fetched.err)")

        // Unknown datasets and bad usage.
        let unknown = bed.run(["datasets", "refresh", "nope", "--config", bed.config("p")])
        #expect(unknown.status == 1 && unknown.err.contains("no dataset with id 'nope'"), "\(unknown.err)")
        #expect(bed.run(["datasets", "refresh", "--config", bed.config("p")]).status == 2)
        let badEvery = bed.run(["datasets", "publish", "--config", bed.config("p"), "--file", out, "--title", "X", "--description", "Testdaten",
                                "--refresh-every", "sometimes"])
        #expect(badEvery.status == 2 && badEvery.err.contains("not an interval"), "\(badEvery.err)")
    }

    @Test func theDaemonRefreshesOnItsSchedule() throws {
        let bed = try Bed()
        let harness = bed.harness
        defer { harness.stopAll() }
        let published = bed.run(["datasets", "publish", "--config", bed.config("p"), "--file", bed.source, "--title", "Parken", "--description", "Testdaten",
                                 "--id", "live", "--refresh-every", "1s", "--json"])
        #expect(published.status == 0, "\(published.err)")
        let first = try #require(try bed.listed("live"))
        #expect(first.refreshEvery == "1s")
        #expect(first.accrualPeriodicity == RefreshInterval.frequencies + "UPDATE_CONT")
        try bed.append("Ost;7\n", to: bed.source)
        let v2 = try DownloadFile.sha256(at: bed.source)
        let deadline = Date().addingTimeInterval(15)
        var current = first
        while current.version != v2, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            current = try #require(try bed.listed("live"))
        }
        #expect(current.version == v2, "the scheduled refresh did not publish the new version")
        #expect(current.lastRefreshAttempt != nil)
        // The catalog says how often it changes.
        let catalog = bed.run(["catalog", "--peer", "p", "--config", bed.config("c"), "--json"])
        #expect(catalog.out.contains("UPDATE_CONT"), "\(catalog.out.prefix(400))")

        // A scheduled refresh that fails is reported and retried, the last good version kept.
        try FileManager.default.removeItem(atPath: bed.source)
        let failDeadline = Date().addingTimeInterval(15)
        while current.lastRefreshError == nil, Date() < failDeadline {
            Thread.sleep(forTimeInterval: 0.2)
            current = try #require(try bed.listed("live"))
        }
        #expect(current.lastRefreshError?.contains("no such file") == true)
        #expect(current.version == v2)
    }
}
