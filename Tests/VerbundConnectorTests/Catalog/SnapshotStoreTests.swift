import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundConnector

/// Content-addressed snapshots: copy with hashing, atomic appearance, collection (docs/operator.md, "Files that change").
@Suite struct SnapshotStoreTests {
    @Test func snapshotsAreNamedByContentAndSharedByEqualFiles() throws {
        let folder = TemporaryFolder("verbund-snapshots")
        let store = SnapshotStore(dataDirectory: folder.file("data"))
        let a = try CatalogHarness.dataFile(folder, "a.csv", "x;y\n1;2\n")
        let b = try CatalogHarness.dataFile(folder, "b.csv", "x;y\n1;2\n")
        let first = try store.take(from: a)
        #expect(first.sha256 == (try DownloadFile.sha256(at: a)))
        #expect(first.size == 8)
        #expect(first.path == folder.file("data") + "/snapshots/" + first.sha256)
        #expect(try String(contentsOfFile: first.path, encoding: .utf8) == "x;y\n1;2\n")
        #expect(try store.take(from: b) == first)
        // The source changing later does not touch the snapshot.
        try Data("x;y\n1;2\n3;4\n".utf8).write(to: URL(fileURLWithPath: a))
        #expect(try String(contentsOfFile: first.path, encoding: .utf8) == "x;y\n1;2\n")
        let second = try store.take(from: a)
        #expect(second.sha256 != first.sha256 && second.size == 12)
        #expect(store.digests() == [first.sha256, second.sha256])
        // Nothing half-written is left: only the two digests are in the folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.directory).sorted() == [first.sha256, second.sha256].sorted())
        let mode = try FileManager.default.attributesOfItem(atPath: first.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func largeFilesCopyInPieces() throws {
        let folder = TemporaryFolder("verbund-snapshots")
        let path = folder.file("big.bin")
        var bytes = [UInt8](repeating: 0, count: 3 << 20)
        for index in stride(from: 0, to: bytes.count, by: 4099) { bytes[index] = UInt8(truncatingIfNeeded: index) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let snapshot = try SnapshotStore(dataDirectory: folder.file("data")).take(from: path)
        #expect(snapshot.size == Int64(bytes.count))
        #expect(snapshot.sha256 == (try DownloadFile.sha256(at: path)))
    }

    @Test func unreadableOrProtectedSourcesLeaveNothingBehind() throws {
        let folder = TemporaryFolder("verbund-snapshots")
        let data = folder.file("data")
        let store = SnapshotStore(dataDirectory: data)
        #expect(throws: CatalogPublishError.unreadableFile(path: folder.file("none.csv"), reason: "no such file")) {
            try store.take(from: folder.file("none.csv"))
        }
        #expect(throws: CatalogPublishError.unreadableFile(path: "relative.csv", reason: "the path is not absolute")) {
            try store.take(from: "relative.csv")
        }
        #expect(throws: CatalogPublishError.unreadableFile(path: folder.path, reason: "it is a directory")) {
            try store.take(from: folder.path)
        }
        #expect(throws: CatalogPublishError.unreadableFile(path: "/dev/zero", reason: "it is not a regular file (a device, pipe or socket)")) {
            try store.take(from: "/dev/zero")  // would never end
        }
        let fifo = folder.file("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: CatalogPublishError.self) { try store.take(from: fifo) }  // would block the open
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let secret = try CatalogHarness.dataFile(folder, "data/state.sqlite", "secret")
        let protected = ProtectedFiles(dataDirectory: data, secretFiles: [])
        do {
            _ = try store.take(from: secret, protected: protected)
            Issue.record("a file in the data directory was snapshotted")
        } catch {
            guard case .protectedFile = error else { Issue.record("\(error)"); return }
        }
        #expect(store.digests().isEmpty)
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: store.directory)) ?? []
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func collectionKeepsWhatIsKeptAndRemovesInterruptedCopies() throws {
        let folder = TemporaryFolder("verbund-snapshots")
        let store = SnapshotStore(dataDirectory: folder.file("data"))
        let one = try store.take(from: try CatalogHarness.dataFile(folder, "1.csv", "one"))
        let two = try store.take(from: try CatalogHarness.dataFile(folder, "2.csv", "two"))
        let three = try store.take(from: try CatalogHarness.dataFile(folder, "3.csv", "three"))
        _ = FileManager.default.createFile(atPath: store.directory + "/.incoming-crashed", contents: Data("half".utf8))
        _ = FileManager.default.createFile(atPath: store.directory + "/notes.txt", contents: Data("operator's".utf8))
        let removed = store.exclusively { store.collect(keeping: [one.sha256, three.sha256]) }
        #expect(removed == [two.sha256])
        #expect(store.digests() == [one.sha256, three.sha256])
        #expect(!FileManager.default.fileExists(atPath: store.directory + "/.incoming-crashed"))
        #expect(FileManager.default.fileExists(atPath: store.directory + "/notes.txt"))  // not a snapshot: not ours to delete
        #expect(store.exclusively { store.collect(keeping: []) }.count == 2)
    }
}
