import Foundation
import VerbundDataspace

/// A dataset this member publishes: its catalog record, the file it is served from, and its place in the catalog
/// order (`sequence`, the pagination cursor).
public struct PublishedDataset: Sendable, Hashable, Codable {
    public let sequence: Int64
    public let record: DatasetRecord
    /// Absolute path of the data file on the daemon's host (read by the transfer module).
    public let filePath: String
    public let publishedAt: Date

    public init(sequence: Int64, record: DatasetRecord, filePath: String, publishedAt: Date) {
        self.sequence = sequence
        self.record = record
        self.filePath = filePath
        self.publishedAt = publishedAt
    }

    public var id: String { record.id }
}
