import Foundation
import VerbundStore

/// `DatasetFileSource` over the catalog module's tables: the dataset's versions (`catalog_dataset_version`, catalog
/// migration 12: the snapshot of each version still kept) and from the row's `DatasetRecord` JSON its current sha-256
/// and media type. A version without a snapshot row is not served (a dataset published before snapshots until its
/// snapshot is taken, or one whose source changed before it could be), and without the catalog's tables nothing is
/// (fail closed).
package struct CatalogDatasetFiles: DatasetFileSource {
    package init() {}

    /// Only what the data plane needs of a `DatasetRecord`.
    private struct Entry: Decodable {
        let checksumSHA256: String?
        let mediaType: String?
    }

    package func file(forDataset id: String, in transaction: Transaction) throws -> DatasetFile? {
        try file(forDataset: id, version: nil, in: transaction)
    }

    package func file(forDataset id: String, version: String?, in transaction: Transaction) throws -> DatasetFile? {
        guard try transaction.queryFirst(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'catalog_dataset_version'") != nil else { return nil }
        guard let row = try transaction.queryFirst("SELECT record FROM catalog_dataset WHERE id = ?", [.text(id)]),
              let entry = try? JSONDecoder().decode(Entry.self, from: Data(try row.string("record").utf8)),
              let current = entry.checksumSHA256, current.count == 64 else { return nil }
        let sha256 = version?.lowercased() ?? current
        guard let stored = try transaction.queryFirst(
            "SELECT path FROM catalog_dataset_version WHERE dataset_id = ? AND sha256 = ?", [.text(id), .text(sha256)]) else {
            return nil
        }
        return DatasetFile(path: try stored.string("path"), sha256: sha256, mediaType: entry.mediaType ?? "application/octet-stream")
    }
}
