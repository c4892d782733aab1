import Foundation
import Testing
import VerbundTestSupport
import VerbundStore
@testable import VerbundConnector

@Suite(.offCooperativePool) struct TransferUnitTests {
    @Test func tokensAreRandomAndCompareOnlyWhenEqual() {
        let a = DataToken.make(), b = DataToken.make()
        #expect(a != b && a.count == 43)
        #expect(DataToken.matches(a, a))
        #expect(!DataToken.matches(a, b))
        #expect(!DataToken.matches(String(a.dropLast()), a))
        #expect(!DataToken.matches("", a))
        #expect(DataToken.bearer("Bearer abc") == "abc")
        #expect(DataToken.bearer("bearer  abc ") == "abc")
        #expect(DataToken.bearer("Basic abc") == nil)
        #expect(DataToken.bearer(nil) == nil)
    }

    @Test func digestFieldsParseSHA256Only() {
        let hex = String(repeating: "ab", count: 32)
        let field = "sha-256=:" + Data(repeating: 0xab, count: 32).base64EncodedString() + ":"
        #expect(TransferDownload.sha256(fromDigest: field) == hex)
        #expect(TransferDownload.sha256(fromDigest: "sha-512=:AAAA:, " + field) == hex)
        #expect(TransferDownload.sha256(fromDigest: "sha-256=:AAAA:") == nil)
        #expect(TransferDownload.sha256(fromDigest: "md5=:AAAA:") == nil)
        #expect(TransferDownload.sha256(fromDigest: nil) == nil)
    }

    @Test func catalogDatasetFilesReadTheCatalogTableAndFailClosed() throws {
        let folder = TemporaryFolder("verbund-transfer-unit")
        let database = try Database(path: folder.file("state.sqlite"))
        defer { database.close() }
        let sha = String(repeating: "0f", count: 32)
        #expect(try database.read { tx in try CatalogDatasetFiles().file(forDataset: "urn:d:1", in: tx) } == nil)
        try database.transaction { tx in
            try tx.executeScript("""
                CREATE TABLE catalog_dataset (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
                    file_path TEXT NOT NULL, record TEXT NOT NULL, published_at_ms INTEGER NOT NULL) STRICT;
                CREATE TABLE catalog_dataset_version (dataset_id TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
                    path TEXT NOT NULL, created_at_ms INTEGER NOT NULL, PRIMARY KEY (dataset_id, sha256)) STRICT;
                """)
            // Served from the version row's snapshot, never from file_path; an older version stays servable by digest.
            try tx.execute("INSERT INTO catalog_dataset_version VALUES (?, ?, 1, ?, 0)",
                           [.text("urn:d:1"), .text(sha), .text("/srv/snapshots/" + sha)])
            try tx.execute("INSERT INTO catalog_dataset_version VALUES (?, ?, 1, ?, 0)",
                           [.text("urn:d:1"), .text(String(repeating: "aa", count: 32)), .text("/srv/snapshots/old")])
            try tx.execute("INSERT INTO catalog_dataset (id, file_path, record, published_at_ms) VALUES (?, ?, ?, 0)",
                           [.text("urn:d:1"), .text("/srv/data/a.csv"), .text(#"{"checksumSHA256":"\#(sha)","mediaType":"text/csv"}"#)])
            try tx.execute("INSERT INTO catalog_dataset (id, file_path, record, published_at_ms) VALUES (?, ?, ?, 0)",
                           [.text("urn:d:2"), .text("/srv/data/b.csv"), .text(#"{"title":"no checksum"}"#)])
        }
        let file = try database.read { tx in try CatalogDatasetFiles().file(forDataset: "urn:d:1", in: tx) }
        #expect(file == DatasetFile(path: "/srv/snapshots/" + sha, sha256: sha, mediaType: "text/csv"))
        let old = try database.read { tx in
            try CatalogDatasetFiles().file(forDataset: "urn:d:1", version: String(repeating: "aa", count: 32), in: tx)
        }
        #expect(old == DatasetFile(path: "/srv/snapshots/old", sha256: String(repeating: "aa", count: 32), mediaType: "text/csv"))
        #expect(try database.read { tx in
            try CatalogDatasetFiles().file(forDataset: "urn:d:1", version: String(repeating: "bb", count: 32), in: tx)
        } == nil)
        #expect(try database.read { tx in try CatalogDatasetFiles().file(forDataset: "urn:d:2", in: tx) } == nil)
        #expect(try database.read { tx in try CatalogDatasetFiles().file(forDataset: "urn:d:3", in: tx) } == nil)
    }
}
