import Synchronization
import VerbundDataspace

/// Decoded records and their encoded catalog entries, by catalog sequence number, so paging a large catalog does not
/// decode and encode the same JSON again for every request. A sequence number is never reused and a published record
/// never changes (removal deletes its row; it is then never scanned again), so entries cannot go stale; the cache is
/// emptied when it grows past `capacity`, which bounds its memory.
final class CatalogRenderCache: Sendable {
    private struct Entry: Sendable {
        var record: DatasetRecord
        /// The dataset's JSON inside a catalog, by the ids of the offers it shows (they differ between members).
        var encoded: [[String]: [UInt8]] = [:]
    }

    let capacity: Int
    private let entries = Mutex<[Int64: Entry]>([:])

    init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    func record(_ sequence: Int64) -> DatasetRecord? {
        entries.withLock { $0[sequence]?.record }
    }

    func remember(_ record: DatasetRecord, sequence: Int64) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            if entries[sequence] == nil { entries[sequence] = Entry(record: record) }
        }
    }

    func encoded(_ sequence: Int64, offers: [String]) -> [UInt8]? {
        entries.withLock { $0[sequence]?.encoded[offers] }
    }

    func remember(encoded bytes: [UInt8], sequence: Int64, offers: [String]) {
        entries.withLock { $0[sequence]?.encoded[offers] = bytes }
    }
}
