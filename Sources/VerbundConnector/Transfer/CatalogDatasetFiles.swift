import Foundation
import VerbundStore

/// `DatasetFileSource` over the catalog module's `catalog_dataset` table (catalog migration 10): the published file's
/// path, and from the row's `DatasetRecord` JSON its sha-256 and media type. A dataset without a stored sha-256 is not
/// served (no digest to promise), and without the catalog's tables nothing is (fail closed).
package struct CatalogDatasetFiles: DatasetFileSource {
    package init() {}

    /// Only what the data plane needs of a `DatasetRecord`.
    private struct Entry: Decodable {
        let checksumSHA256: String?
        let mediaType: String?
    }

    package func file(forDataset id: String, in transaction: Transaction) throws -> DatasetFile? {
        guard try transaction.queryFirst(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'catalog_dataset'") != nil else { return nil }
        guard let row = try transaction.queryFirst("SELECT file_path, record FROM catalog_dataset WHERE id = ?", [.text(id)]),
              let entry = try? JSONDecoder().decode(Entry.self, from: Data(try row.string("record").utf8)),
              let sha256 = entry.checksumSHA256, sha256.count == 64 else { return nil }
        return DatasetFile(path: try row.string("file_path"), sha256: sha256,
                           mediaType: entry.mediaType ?? "application/octet-stream")
    }
}
