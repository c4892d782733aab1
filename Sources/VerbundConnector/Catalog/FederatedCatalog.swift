import Foundation
import VerbundDataspace
import VerbundStore

/// The federated catalog: other members' datasets as the crawler last read them, with an FTS5 full-text index
/// (title, description, keywords, provider). A cache, rebuilt from the members' catalogs (docs/design.md §8: one source of
/// truth); each member's part is replaced as a whole after a successful crawl of it.
package struct FederatedCatalog: Sendable {
    /// The crawl state of one member.
    package struct MemberState: Sendable, Hashable, Codable {
        package var member: String
        package var lastAttempt: Date
        package var lastSuccess: Date?
        package var datasets: Int
        package var lastError: String?
    }

    package let database: Database

    package init(database: Database) {
        self.database = database
    }

    /// Replaces `memberId`'s datasets with `datasets` and records the successful crawl.
    package func replace(memberId: String, providerName: String, participantId: String, datasets: [Dataset], at now: Date) throws {
        try beginStaging(memberId: memberId)
        try stage(memberId: memberId, participantId: participantId, datasets: datasets)
        try commitStaged(memberId: memberId, providerName: providerName, at: now)
    }

    /// Records a failed crawl of `memberId`; its cached datasets stay until a later crawl succeeds.
    package func recordFailure(memberId: String, error: String, at now: Date) throws {
        try database.transaction { tx in
            try tx.execute("""
                INSERT INTO catalog_crawl_member (member_id, last_attempt_ms, last_error) VALUES (?, ?, ?)
                ON CONFLICT (member_id) DO UPDATE SET last_attempt_ms = excluded.last_attempt_ms, last_error = excluded.last_error
                """, [.text(memberId), .integer(Self.milliseconds(now)), .text(error)])
        }
    }

    /// Drops every member not in `keep` (no longer active, or gone from the registry).
    @discardableResult
    package func dropMembers(except keep: Set<String>) throws -> [String] {
        try database.transaction { tx in
            let cached = try tx.query("SELECT member_id FROM catalog_crawl_member UNION SELECT member_id FROM catalog_remote_dataset")
                .map { try $0.string("member_id") }
            let dropped = cached.filter { !keep.contains($0) }
            for memberId in dropped {
                try Self.delete(memberId: memberId, in: tx)
                try tx.execute("DELETE FROM catalog_remote_staging WHERE member_id = ?", [.text(memberId)])
                try tx.execute("DELETE FROM catalog_crawl_member WHERE member_id = ?", [.text(memberId)])
            }
            return dropped
        }
    }

    /// Cached datasets, ordered by provider and title; with `search`, only those matching every word (FTS5).
    package func entries(search: String? = nil, member: String? = nil, limit: Int = 1_000, names: (String) -> String) throws -> [CatalogEntry] {
        var sql = "SELECT d.member_id, d.entry FROM catalog_remote_dataset d"
        var conditions: [String] = []
        var values: [SQLiteValue] = []
        if let search {
            guard let match = FullTextQuery.match(search) else { return [] }
            conditions.append("d.rowid_key IN (SELECT rowid FROM catalog_remote_fts WHERE catalog_remote_fts MATCH ?)")
            values.append(.text(match))
        }
        if let member {
            conditions.append("d.member_id = ?")
            values.append(.text(member))
        }
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY d.member_id, d.title, d.dataset_id LIMIT ?"
        values.append(.integer(Int64(limit)))
        let query = sql, arguments = values
        let rows = try database.read { tx in
            try tx.query(query, arguments).map { row in (try row.string("member_id"), try row.string("entry")) }
        }
        let decoder = JSONDecoder.catalog
        return try rows.map { memberId, json in
            var entry = try decoder.decode(CatalogEntry.self, from: Data(json.utf8))
            entry.providerName = names(memberId)
            return entry
        }
    }

    /// The crawl state of every member crawled so far.
    package func states() throws -> [MemberState] {
        try database.read { tx in
            try tx.query("SELECT member_id, last_attempt_ms, last_success_ms, datasets, last_error FROM catalog_crawl_member ORDER BY member_id")
                .map { row in
                    MemberState(member: try row.string("member_id"), lastAttempt: Self.date(try row.int64("last_attempt_ms")),
                                lastSuccess: try row.optionalInt64("last_success_ms").map(Self.date),
                                datasets: try row.int("datasets"), lastError: try row.optionalString("last_error"))
                }
        }
    }

    static func delete(memberId: String, in tx: Transaction) throws {
        try tx.execute("DELETE FROM catalog_remote_fts WHERE rowid IN (SELECT rowid_key FROM catalog_remote_dataset WHERE member_id = ?)",
                       [.text(memberId)])
        try tx.execute("DELETE FROM catalog_remote_dataset WHERE member_id = ?", [.text(memberId)])
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    private static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
