import Foundation
import VerbundDataspace
import VerbundStore
import VerbundTrust

/// The datasets this member publishes, in SQLite (`catalog_dataset` with its keyword and full-text indexes).
package struct CatalogStore: Sendable {
    package let database: Database
    /// Decoded records by sequence (the DSP routes' store has one; see `CatalogRenderCache`).
    let cache: CatalogRenderCache?

    package init(database: Database) {
        self.init(database: database, cache: nil)
    }

    init(database: Database, cache: CatalogRenderCache?) {
        self.database = database
        self.cache = cache
    }

    /// Adds a dataset in `tx`; a dataset id that exists already is refused.
    @discardableResult
    /// `filePath` is what is served (the snapshot), `sourcePath` what refreshes read (default: `filePath`); the record's
    /// checksum becomes its first version.
    /// `upstream` makes it an API dataset (`filePath` then is "").
    package func insert(_ record: DatasetRecord, filePath: String, sourcePath: String? = nil, refreshEvery: RefreshInterval? = nil,
                        at now: Date, upstream: DatasetUpstream? = nil, listed: Bool = false,
                        open: Bool = false, in tx: Transaction) throws -> PublishedDataset {
        if try tx.queryFirst("SELECT 1 FROM catalog_dataset WHERE id = ?", [.text(record.id)]) != nil {
            throw CatalogPublishError.duplicateID(record.id)
        }
        let json = String(decoding: try JSONEncoder.catalog.encode(record), as: UTF8.self)
        let milliseconds = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        let version: SQLiteValue = record.checksumSHA256.map { .text($0) } ?? .null
        try tx.execute("""
            INSERT INTO catalog_dataset (id, file_path, record, published_at_ms, source_path, version, refresh_every_s)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.text(record.id), .text(filePath), .text(json), .integer(milliseconds), .text(sourcePath ?? filePath), version,
                  refreshEvery.map { .integer($0.seconds) } ?? .null])
        let sequence = tx.lastInsertRowID
        if listed { try tx.execute("UPDATE catalog_dataset SET transparency = 1 WHERE seq = ?", [.integer(sequence)]) }
        if open { try tx.execute("UPDATE catalog_dataset SET open_data = 1 WHERE seq = ?", [.integer(sequence)]) }
        if let upstream {
            try tx.execute("UPDATE catalog_dataset SET upstream = ? WHERE seq = ?",
                           [.text(String(decoding: try JSONEncoder.catalog.encode(upstream), as: UTF8.self)), .integer(sequence)])
        }
        if let sha256 = record.checksumSHA256 {
            try tx.execute("INSERT OR IGNORE INTO catalog_dataset_version (dataset_id, sha256, size, path, created_at_ms) VALUES (?, ?, ?, ?, ?)",
                           [.text(record.id), .text(sha256), .integer(record.byteSize ?? 0), .text(filePath), .integer(milliseconds)])
        }
        for keyword in Set(record.keywords.map { $0.lowercased() }) {
            try tx.execute("INSERT INTO catalog_dataset_keyword (seq, keyword) VALUES (?, ?)", [.integer(sequence), .text(keyword)])
        }
        try tx.execute("INSERT INTO catalog_dataset_fts (rowid, title, description, keywords) VALUES (?, ?, ?, ?)",
                       [.integer(sequence), .text(record.title), .text(record.description ?? ""),
                        .text(record.keywords.joined(separator: " "))])
        return PublishedDataset(sequence: sequence, record: record, filePath: filePath,
                                publishedAt: Date(timeIntervalSince1970: Double(milliseconds) / 1000),
                                refresh: PublishedDataset.Refresh(source: sourcePath ?? filePath, every: refreshEvery,
                                                                  served: record.checksumSHA256),
                                upstream: upstream, listed: listed, open: open)
    }

    /// Removes a dataset in `tx`; returns what was removed, nil if the id is unknown.
    package func remove(id: String, in tx: Transaction) throws -> PublishedDataset? {
        guard let row = try tx.queryFirst(Self.select + " WHERE id = ?", [.text(id)]) else { return nil }
        let dataset = try Self.dataset(row)
        try tx.execute("DELETE FROM catalog_dataset_keyword WHERE seq = ?", [.integer(dataset.sequence)])
        try tx.execute("DELETE FROM catalog_dataset_fts WHERE rowid = ?", [.integer(dataset.sequence)])
        try tx.execute("DELETE FROM catalog_dataset WHERE seq = ?", [.integer(dataset.sequence)])
        try tx.execute("DELETE FROM catalog_dataset_version WHERE dataset_id = ?", [.text(id)])
        return dataset
    }

    /// The dataset with `id`, nil if none is published.
    package func dataset(id: String) throws -> PublishedDataset? {
        try database.read { tx in try tx.queryFirst(Self.select + " WHERE id = ?", [.text(id)]).map(Self.dataset) }
    }

    /// Every published dataset in catalog order.
    package func all() throws -> [PublishedDataset] {
        try database.read { tx in try tx.query(Self.select + " ORDER BY seq").map(Self.dataset) }
    }

    /// The datasets the operator listed publicly (`transparency`), in catalog order, at most `limit` after skipping
    /// `offset` (the harvest endpoint's pages).
    package func listed(offset: Int = 0, limit: Int, in tx: Transaction) throws -> [PublishedDataset] {
        try tx.query(Self.select + " WHERE transparency = 1 ORDER BY seq LIMIT ? OFFSET ?",
                     [.integer(Int64(limit)), .integer(Int64(offset))]).map(Self.dataset)
    }

    /// How many datasets are listed publicly.
    package func listedCount(in tx: Transaction) throws -> Int {
        try tx.queryFirst("SELECT count(*) AS n FROM catalog_dataset WHERE transparency = 1")?.int("n") ?? 0
    }

    /// At most `limit` datasets in catalog order, skipping the first `offset` (a console page).
    package func page(offset: Int, limit: Int) throws -> [PublishedDataset] {
        try database.read { tx in
            try tx.query(Self.select + " ORDER BY seq LIMIT ? OFFSET ?", [.integer(Int64(limit)), .integer(Int64(offset))]).map(Self.dataset)
        }
    }

    package func count() throws -> Int {
        try database.read { tx in try tx.queryFirst("SELECT count(*) AS n FROM catalog_dataset")?.int("n") ?? 0 }
    }

    /// Up to `count` datasets matching `filter`, after the cursor `after` ascending, or before `before` descending.
    func scan(after: Int64?, before: Int64?, filter: CatalogFilter, count: Int) throws -> [PublishedDataset] {
        var sql = Self.select
        var conditions: [String] = []
        var values: [SQLiteValue] = []
        if let before {
            conditions.append("seq < ?")
            values.append(.integer(before))
        } else {
            conditions.append("seq > ?")
            values.append(.integer(after ?? 0))
        }
        for keyword in filter.keywords {
            conditions.append("seq IN (SELECT seq FROM catalog_dataset_keyword WHERE keyword = ?)")
            values.append(.text(keyword))
        }
        if let match = filter.fullTextQuery {
            conditions.append("seq IN (SELECT rowid FROM catalog_dataset_fts WHERE catalog_dataset_fts MATCH ?)")
            values.append(.text(match))
        }
        sql += " WHERE " + conditions.joined(separator: " AND ")
        sql += before == nil ? " ORDER BY seq ASC" : " ORDER BY seq DESC"
        sql += " LIMIT ?"
        values.append(.integer(Int64(count)))
        let query = sql, arguments = values
        let cache = self.cache
        return try database.read { tx in try tx.query(query, arguments).map { try Self.dataset($0, cache: cache) } }
    }

    private static let select = """
        SELECT seq, id, file_path, record, published_at_ms, source_path, version, refresh_every_s, refresh_attempt_ms,
               refresh_error, upstream, transparency, open_data, open_downloads FROM catalog_dataset
        """

    private static func dataset(_ row: Row) throws -> PublishedDataset {
        try dataset(row, cache: nil)
    }

    private static func dataset(_ row: Row, cache: CatalogRenderCache?) throws -> PublishedDataset {
        let sequence = try row.int64("seq")
        let record: DatasetRecord
        let version = try row.optionalString("version")
        if let cached = cache?.record(sequence, version: version) {
            record = cached
        } else {
            record = try JSONDecoder.catalog.decode(DatasetRecord.self, from: Data(try row.string("record").utf8))
            cache?.remember(record, sequence: sequence, version: version)
        }
        let refresh = PublishedDataset.Refresh(
            source: try row.optionalString("source_path") ?? row.string("file_path"),
            every: try row.optionalInt64("refresh_every_s").flatMap { RefreshInterval(seconds: $0) },
            attemptedAt: try row.optionalInt64("refresh_attempt_ms").map { Date(timeIntervalSince1970: Double($0) / 1000) },
            error: try row.optionalString("refresh_error"), served: version)
        return PublishedDataset(sequence: sequence, record: record, filePath: try row.string("file_path"),
                                publishedAt: Date(timeIntervalSince1970: Double(try row.int64("published_at_ms")) / 1000),
                                refresh: refresh,
                                upstream: try row.optionalString("upstream").flatMap {
                                    try? JSONDecoder().decode(DatasetUpstream.self, from: Data($0.utf8))
                                }, listed: try row.int64("transparency") == 1, open: try row.int64("open_data") == 1,
                                openDownloads: try row.int64("open_downloads"))
    }
}

extension JSONEncoder {
    /// Stored catalog JSON: sorted keys, dates as ISO 8601.
    static var catalog: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .internetDateTime
        return encoder
    }
}

extension JSONDecoder {
    static var catalog: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .internetDateTime
        return decoder
    }
}
