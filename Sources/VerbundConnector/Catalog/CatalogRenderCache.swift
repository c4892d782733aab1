import Synchronization
import VerbundDataspace

/// Decoded records and their encoded catalog entries, by catalog sequence number, so paging a large catalog does not
/// decode and encode the same JSON again for every request. A sequence number is never reused and a record changes only
/// with a new version (a refresh), which the entries are checked against, so they cannot go stale; the cache is
/// emptied when it grows past `capacity`, which bounds its memory.
final class CatalogRenderCache: Sendable {
    private struct Entry: Sendable {
        var record: DatasetRecord
        /// The dataset's version when it was decoded (a refresh changes the record under the same sequence).
        var version: String?
        /// The dataset's JSON inside a catalog, by the ids of the offers it shows (they differ between members).
        var encoded: [[String]: [UInt8]] = [:]
    }

    let capacity: Int
    private let entries = Mutex<[Int64: Entry]>([:])

    init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    /// The record of `sequence` if it was decoded at this `version`.
    func record(_ sequence: Int64, version: String? = nil) -> DatasetRecord? {
        entries.withLock { entries in
            guard let entry = entries[sequence], entry.version == version else { return nil }
            return entry.record
        }
    }

    func remember(_ record: DatasetRecord, sequence: Int64, version: String? = nil) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            if entries[sequence]?.version != version || entries[sequence] == nil {
                entries[sequence] = Entry(record: record, version: version)
            }
        }
    }

    func encoded(_ sequence: Int64, offers: [String]) -> [UInt8]? {
        entries.withLock { $0[sequence]?.encoded[offers] }
    }

    func remember(encoded bytes: [UInt8], sequence: Int64, offers: [String]) {
        entries.withLock { $0[sequence]?.encoded[offers] = bytes }
    }
}
