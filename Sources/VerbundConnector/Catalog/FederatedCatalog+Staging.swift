import Foundation
import VerbundDataspace
import VerbundStore

/// A crawl of one member, page by page: `beginStaging`, `stage` per page (its own short transaction), then
/// `commitStaged` swaps the staged datasets in as the member's part of the federated catalog in one transaction, or
/// `discardStaged` forgets them (the last good crawl stays). The crawler thus holds one page in memory at a time.
extension FederatedCatalog {
    /// Forgets what an earlier, unfinished crawl of `memberId` staged.
    package func beginStaging(memberId: String) throws {
        try discardStaged(memberId: memberId)
    }

    /// Stages one page of `memberId`'s datasets; a dataset id staged before in this crawl keeps its first version.
    package func stage(memberId: String, participantId: String, datasets: [Dataset]) throws {
        let encoder = JSONEncoder.catalog
        var rows: [[SQLiteValue]] = []
        for dataset in datasets {
            // The provider's name is filled in when listing (it may change with a later registry).
            let entry = CatalogEntry(provider: memberId, providerName: "", participantId: participantId, dataset: dataset)
            rows.append([.text(memberId), .text(participantId), .text(entry.id), .text(entry.title), .text(entry.description ?? ""),
                         .text(entry.keywords.joined(separator: " ")), .text(String(decoding: try encoder.encode(entry), as: UTF8.self))])
        }
        let prepared = rows
        try database.transaction { tx in
            for row in prepared {
                try tx.execute("""
                    INSERT OR IGNORE INTO catalog_remote_staging
                        (member_id, participant_id, dataset_id, title, description, keywords, entry) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, row)
            }
        }
    }

    /// Makes the staged datasets `memberId`'s part of the catalog and records the successful crawl; returns how many.
    @discardableResult
    package func commitStaged(memberId: String, providerName: String, at now: Date) throws -> Int {
        let milliseconds = Self.milliseconds(now)
        return try database.transaction { tx in
            try Self.delete(memberId: memberId, in: tx)
            try tx.execute("""
                INSERT INTO catalog_remote_dataset (member_id, participant_id, dataset_id, title, entry, crawled_at_ms)
                SELECT member_id, participant_id, dataset_id, title, entry, ? FROM catalog_remote_staging
                WHERE member_id = ? ORDER BY seq
                """, [.integer(milliseconds), .text(memberId)])
            try tx.execute("""
                INSERT INTO catalog_remote_fts (rowid, title, description, keywords, provider)
                SELECT d.rowid_key, s.title, s.description, s.keywords, ? FROM catalog_remote_staging s
                JOIN catalog_remote_dataset d ON d.member_id = s.member_id AND d.dataset_id = s.dataset_id
                WHERE s.member_id = ?
                """, [.text(providerName + " " + memberId), .text(memberId)])
            let count = try tx.queryFirst("SELECT count(*) AS n FROM catalog_remote_staging WHERE member_id = ?",
                                          [.text(memberId)])?.int("n") ?? 0
            try tx.execute("DELETE FROM catalog_remote_staging WHERE member_id = ?", [.text(memberId)])
            try tx.execute("""
                INSERT INTO catalog_crawl_member (member_id, last_attempt_ms, last_success_ms, datasets, last_error)
                VALUES (?, ?, ?, ?, NULL)
                ON CONFLICT (member_id) DO UPDATE SET last_attempt_ms = excluded.last_attempt_ms,
                    last_success_ms = excluded.last_success_ms, datasets = excluded.datasets, last_error = NULL
                """, [.text(memberId), .integer(milliseconds), .integer(milliseconds), .integer(Int64(count))])
            return count
        }
    }

    /// Forgets what is staged for `memberId` (a crawl that failed or passed a bound).
    package func discardStaged(memberId: String) throws {
        try database.transaction { tx in
            try tx.execute("DELETE FROM catalog_remote_staging WHERE member_id = ?", [.text(memberId)])
        }
    }
}
