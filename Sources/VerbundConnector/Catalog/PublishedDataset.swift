import Foundation
import VerbundDataspace

/// A dataset this member publishes: its catalog record, the file it is served from, and its place in the catalog
/// order (`sequence`, the pagination cursor).
package struct PublishedDataset: Sendable, Hashable, Codable {
    package let sequence: Int64
    package let record: DatasetRecord
    /// Absolute path of the file served now: the snapshot of the current version (docs/operator.md, "Files that change").
    package let filePath: String
    package let publishedAt: Date
    /// Where the dataset is refreshed from, how often, and how the last refresh went.
    package let refresh: Refresh?
    /// Set for an API dataset: where its data plane forwards to (no credential, only file paths).
    package var upstream: DatasetUpstream? = nil
    /// Whether the operator listed it on the public listener (`transparency` at publish).
    package var listed: Bool = false
    /// Open data: served without a contract on the public listener (`open` at publish), and how often it was.
    package var open: Bool = false
    package var openDownloads: Int64 = 0

    package struct Refresh: Sendable, Hashable, Codable {
        /// The file it was published from (what a refresh reads).
        package var source: String
        package var every: RefreshInterval?
        package var attemptedAt: Date?
        /// Why the last refresh failed; nil when it succeeded or none was tried.
        package var error: String?
        /// The version served now (nil while a dataset published before snapshots waits for its first snapshot).
        package var served: String?

        package init(source: String, every: RefreshInterval? = nil, attemptedAt: Date? = nil, error: String? = nil,
                     served: String? = nil) {
            self.source = source
            self.every = every
            self.attemptedAt = attemptedAt
            self.error = error
            self.served = served
        }
    }

    package init(sequence: Int64, record: DatasetRecord, filePath: String, publishedAt: Date, refresh: Refresh? = nil,
                 upstream: DatasetUpstream? = nil, listed: Bool = false, open: Bool = false, openDownloads: Int64 = 0) {
        self.upstream = upstream
        self.listed = listed
        self.open = open
        self.openDownloads = openDownloads
        self.sequence = sequence
        self.record = record
        self.filePath = filePath
        self.publishedAt = publishedAt
        self.refresh = refresh
    }

    package var id: String { record.id }
}
