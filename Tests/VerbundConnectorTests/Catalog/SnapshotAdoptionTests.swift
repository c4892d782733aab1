import Foundation
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundStore
@testable import VerbundConnector

/// Datasets published before snapshots existed (rows as catalog migration 12 leaves them) and the collection of
/// snapshots that unfinished transfers pin (docs/operator.md, "Files that change").
@Suite(.offCooperativePool) struct SnapshotAdoptionTests {
    @Test func migratedDatasetsGetASnapshotOnlyWhenTheSourceStillMatches() throws {
        let fixture = try FederationFixture(members: ["a"])
        let log = LogCapture("a")
        let context = try fixture.context("a", modules: [CatalogModule(crawls: false)], log: log)
        let folder = TemporaryFolder("verbund-adopt")
        let store = CatalogStore(database: context.database)
        var digests: [String: String] = [:]
        for name in ["same", "changed", "gone"] {
            let path = try CatalogHarness.dataFile(folder, name + ".csv", "a;b\n\(name);1\n")
            let digest = try DatasetPublication.digest(ofFile: path)
            digests[name] = digest.sha256
            let record = DatasetRecord(id: name, title: name, byteSize: digest.size, checksumSHA256: digest.sha256)
            try context.database.transaction { tx in _ = try store.insert(record, filePath: path, at: Date(), in: tx) }
        }
        // What migration 12 leaves: file_path = source_path = the published file, no version row, no version.
        try context.database.transaction { tx in
            try tx.execute("DELETE FROM catalog_dataset_version")
            try tx.execute("UPDATE catalog_dataset SET version = NULL")
        }
        for name in ["same", "changed", "gone"] {
            #expect(try context.database.read { tx in try CatalogDatasetFiles().file(forDataset: name, in: tx) } == nil)
        }
        try Data("a;b\nchanged;2\n".utf8).write(to: URL(fileURLWithPath: folder.file("changed.csv")))
        try FileManager.default.removeItem(atPath: folder.file("gone.csv"))

        let snapshots = SnapshotStore(dataDirectory: context.configuration.dataDirectory)
        let refresh = DatasetRefresh(context: context, snapshots: snapshots)
        refresh.adopt()
        let same = try context.database.read { tx in try CatalogDatasetFiles().file(forDataset: "same", in: tx) }
        #expect(same?.path == snapshots.path(of: digests["same"]!))
        #expect(try store.dataset(id: "same")?.refresh?.error == nil)
        for name in ["changed", "gone"] {
            #expect(try context.database.read { tx in try CatalogDatasetFiles().file(forDataset: name, in: tx) } == nil,
                    "\(name) is served with a digest its bytes may not have")
        }
        #expect(try store.dataset(id: "changed")?.refresh?.error?.contains("changed since it was published") == true)
        #expect(try store.dataset(id: "gone")?.refresh?.error?.contains("no such file") == true)
        #expect(try store.dataset(id: "gone").map(PublishedDatasetSummary.init)?.version == nil)
        #expect(try store.dataset(id: "same").map(PublishedDatasetSummary.init)?.version == digests["same"])
        #expect(log.events("catalog.dataset.needs-refresh").count == 2)
        // A second start changes nothing; the wrong snapshot of "changed" is garbage.
        refresh.adopt()
        refresh.collectGarbage()
        #expect(snapshots.digests() == [digests["same"]!])

        // The operator refreshes: the changed source becomes the served version.
        let outcome = try refresh.refresh(id: "changed")
        #expect(outcome.result == "published" && outcome.previous == digests["changed"])
        let served = try context.database.read { tx in try CatalogDatasetFiles().file(forDataset: "changed", in: tx) }
        #expect(served?.sha256 == outcome.version && served?.path == snapshots.path(of: outcome.version))
        #expect(try store.dataset(id: "changed")?.refresh?.error == nil)
    }

    @Test func collectionNeverRemovesAVersionAnUnfinishedTransferPins() throws {
        let fixture = try FederationFixture(members: ["a"])
        let context = try fixture.context("a", modules: [
            CatalogModule(crawls: false), TransferModule(contracts: StaticContracts(), files: CatalogDatasetFiles()),
        ])
        let folder = TemporaryFolder("verbund-pinned")
        let source = try CatalogHarness.dataFile(folder, "data.csv", "v1\n")
        let snapshots = SnapshotStore(dataDirectory: context.configuration.dataDirectory)
        let refresh = DatasetRefresh(context: context, snapshots: snapshots)
        let v1 = try snapshots.take(from: source)
        let record = DatasetRecord(id: "d", title: "D", byteSize: v1.size, checksumSHA256: v1.sha256, version: v1.sha256)
        try context.database.transaction { tx in
            _ = try CatalogStore(database: context.database).insert(record, filePath: v1.path, sourcePath: source, at: Date(), in: tx)
            var transfer = TransferRecord(localPid: "urn:uuid:pinned", role: .provider, peerMemberId: "b", agreementId: "urn:a",
                                          datasetId: "d", format: TransferFormat.pull, callbackAddress: "https://b.example/cb",
                                          machine: TransferProcessMachine(role: .provider, localPid: "urn:uuid:pinned"),
                                          createdAt: Date(), updatedAt: Date())
            transfer.expectedSHA256 = v1.sha256
            try TransferTable.insert(transfer, in: tx)
        }
        for state in ["REQUESTED", "STARTED", "SUSPENDED"] {
            try context.database.transaction { tx in try tx.execute("UPDATE transfer_process SET state = ?", [.text(state)]) }
            try Data("v1\n\(state)\n".utf8).write(to: URL(fileURLWithPath: source))
            _ = try refresh.refresh(id: "d")
            #expect(snapshots.digests().contains(v1.sha256), "a \(state) transfer's version was removed")
            #expect(try context.database.read { tx in try CatalogDatasetFiles().file(forDataset: "d", version: v1.sha256, in: tx) }?
                .path == v1.path)
        }
        let current = try #require(try CatalogStore(database: context.database).dataset(id: "d")?.record.version)
        #expect(snapshots.digests() == [v1.sha256, current], "versions between were not collected")
        try context.database.transaction { tx in try tx.execute("UPDATE transfer_process SET state = 'COMPLETED'") }
        #expect(refresh.collectGarbage() == [v1.sha256])
        #expect(snapshots.digests() == [current])
        #expect(try context.database.read { tx in try CatalogDatasetFiles().file(forDataset: "d", version: v1.sha256, in: tx) } == nil)
    }
}
