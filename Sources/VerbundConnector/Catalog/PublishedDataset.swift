import Foundation
import VerbundDataspace

/// A dataset this member publishes: its catalog record, the file it is served from, and its place in the catalog
/// order (`sequence`, the pagination cursor).
package struct PublishedDataset: Sendable, Hashable, Codable {
    package let sequence: Int64
    package let record: DatasetRecord
    /// Absolute path of the data file on the daemon's host (read by the transfer module).
    package let filePath: String
    package let publishedAt: Date

    package init(sequence: Int64, record: DatasetRecord, filePath: String, publishedAt: Date) {
        self.sequence = sequence
        self.record = record
        self.filePath = filePath
        self.publishedAt = publishedAt
    }

    package var id: String { record.id }
}
