import Foundation
import VerbundDataspace
import VerbundHTTP
import VerbundStore

/// What a refresh did.
package struct RefreshOutcome: Sendable, Hashable, Codable {
    package var dataset: String
    /// `published` (a new version is served now) or `unchanged` (the source has the bytes served already).
    package var result: String
    package var version: String
    /// The version served before, when a new one was published.
    package var previous: String?
    package var byteSize: Int64
    package var modified: Date?
    package var message: String
}

/// Why a refresh failed; the last good version stays published.
package enum RefreshError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownDataset(String)
    case source(CatalogPublishError)

    package var description: String {
        switch self {
        case let .unknownDataset(id): return CatalogPublishError.unknownDataset(id).description
        case let .source(error): return "\(error.description); the last good version stays published"
        }
    }

    var status: HTTPStatus {
        switch self {
        case .unknownDataset: return .notFound
        case .source: return HTTPStatus(code: 422, reasonPhrase: "Unprocessable Content")
        }
    }
}

/// Refreshes file datasets from their sources into new snapshot versions, gives datasets published before snapshots
/// existed their first snapshot, and removes snapshots nothing uses (docs/operator.md, "Files that change").
package struct DatasetRefresh: Sendable {
    let context: ConnectorContext
    let snapshots: SnapshotStore
    let store: CatalogStore

    package init(context: ConnectorContext, snapshots: SnapshotStore) {
        self.context = context
        self.snapshots = snapshots
        self.store = CatalogStore(database: context.database)
    }

    /// Reads dataset `id`'s source again; publishes a new version if it changed (size, digest, `dct:modified`), in one
    /// transaction with its audit event. A failure is recorded on the dataset (status, metric, log) and thrown.
    @discardableResult
    package func refresh(id: String) throws(RefreshError) -> RefreshOutcome {
        guard let dataset = try? store.dataset(id: id) else { throw .unknownDataset(id) }
        let source = dataset.refresh?.source ?? dataset.filePath
        let now = Date(timeIntervalSince1970: context.clock().timeIntervalSince1970.rounded(.down))
        let result: Result<RefreshOutcome, RefreshError> = snapshots.exclusively {
            let snapshot: Snapshot
            do {
                snapshot = try snapshots.take(from: source, protected: ProtectedFiles(configuration: context.configuration))
            } catch let error as CatalogPublishError {
                return .failure(.source(error))
            } catch {
                return .failure(.source(.unreadableFile(path: source, reason: "\(error)")))
            }
            do {
                return .success(try context.database.transaction { tx in try record(snapshot, of: id, at: now, in: tx) })
            } catch let error as RefreshError {
                return .failure(error)
            } catch {
                return .failure(.source(.unreadableFile(path: source, reason: "recording the new version failed: \(error)")))
            }
        }
        switch result {
        case let .success(outcome):
            context.metrics.increment(CatalogMetrics.refreshes, labels: ["result": outcome.result])
            context.logger.notice("catalog.dataset.refreshed", [
                "dataset": .string(id), "result": .string(outcome.result), "version": .string(outcome.version),
                "previous": .string(outcome.previous ?? outcome.version), "bytes": .int(Int(outcome.byteSize)),
            ])
            collectGarbage()
            return outcome
        case let .failure(error):
            if case .unknownDataset = error { throw error }
            _ = try? context.database.transaction { tx in
                try tx.execute("UPDATE catalog_dataset SET refresh_attempt_ms = ?, refresh_error = ? WHERE id = ?",
                               [.integer(Self.milliseconds(now)), .text(error.description), .text(id)])
            }
            context.metrics.increment(CatalogMetrics.refreshFailures)
            context.logger.error("catalog.dataset.refresh-failed", [
                "dataset": .string(id), "source": .string(source), "error": .string(error.description),
                "served": .string(dataset.record.version ?? dataset.record.checksumSHA256 ?? "none"),
            ])
            throw error
        }
    }

    private func record(_ snapshot: Snapshot, of id: String, at now: Date, in tx: Transaction) throws -> RefreshOutcome {
        guard let row = try tx.queryFirst("SELECT record FROM catalog_dataset WHERE id = ?", [.text(id)]) else {
            throw RefreshError.unknownDataset(id)
        }
        var record = try JSONDecoder.catalog.decode(DatasetRecord.self, from: Data(try row.string("record").utf8))
        let ms = Self.milliseconds(now)
        let previous = record.checksumSHA256
        try tx.execute("INSERT OR IGNORE INTO catalog_dataset_version (dataset_id, sha256, size, path, created_at_ms) VALUES (?, ?, ?, ?, ?)",
                       [.text(id), .text(snapshot.sha256), .integer(snapshot.size), .text(snapshot.path), .integer(ms)])
        if previous == snapshot.sha256 {
            try tx.execute("""
                UPDATE catalog_dataset SET refresh_attempt_ms = ?, refresh_error = NULL, file_path = ?, version = ? WHERE id = ?
                """, [.integer(ms), .text(snapshot.path), .text(snapshot.sha256), .text(id)])
            return RefreshOutcome(dataset: id, result: "unchanged", version: snapshot.sha256, previous: nil,
                                  byteSize: snapshot.size, modified: record.modified,
                                  message: "the source is unchanged; version \(snapshot.sha256) stays published")
        }
        record.checksumSHA256 = snapshot.sha256
        record.version = snapshot.sha256
        record.byteSize = snapshot.size
        record.modified = now
        let json = String(decoding: try JSONEncoder.catalog.encode(record), as: UTF8.self)
        try tx.execute("""
            UPDATE catalog_dataset SET record = ?, file_path = ?, version = ?, refresh_attempt_ms = ?, refresh_error = NULL
            WHERE id = ?
            """, [.text(json), .text(snapshot.path), .text(snapshot.sha256), .integer(ms), .text(id)])
        try context.audit.record(AuditEvent(kind: "catalog.dataset.refreshed", fields: [
            "dataset": .string(id), "sha256": .string(snapshot.sha256), "previous": .string(previous ?? ""),
            "byteSize": .integer(snapshot.size),
        ]), in: tx)
        return RefreshOutcome(dataset: id, result: "published", version: snapshot.sha256, previous: previous,
                              byteSize: snapshot.size, modified: now,
                              message: "published version \(snapshot.sha256) (\(snapshot.size) bytes); transfers already "
                                + "started finish on the version they started with")
    }

    /// Gives each dataset without a snapshot of its current version (published before snapshots existed, or its
    /// snapshot was deleted) one, taken from its source if the source still has the recorded SHA-256. Otherwise the
    /// dataset is marked as needing a refresh and is not served (never with a digest its bytes do not have).
    package func adopt() {
        // Without decoding the records: the promised digest, the source and the kept snapshot of that digest.
        let rows = (try? context.database.read { tx in
            try tx.query("""
                SELECT d.id, coalesce(d.source_path, d.file_path) AS source, json_extract(d.record, '$.checksumSHA256') AS sha,
                       v.path FROM catalog_dataset d
                LEFT JOIN catalog_dataset_version v ON v.dataset_id = d.id AND v.sha256 = json_extract(d.record, '$.checksumSHA256')
                ORDER BY d.seq
                """).map { row in
                (id: try row.string("id"), source: try row.string("source"), sha: try row.optionalString("sha"),
                 path: try row.optionalString("path"))
            }
        }) ?? []
        for dataset in rows {
            guard let sha256 = dataset.sha else { continue }
            if let served = dataset.path, FileManager.default.fileExists(atPath: served) { continue }
            let source = dataset.source
            let now = Date(timeIntervalSince1970: context.clock().timeIntervalSince1970.rounded(.down))
            let problem: String? = snapshots.exclusively {
                do {
                    let snapshot = try snapshots.take(from: source, protected: ProtectedFiles(configuration: context.configuration))
                    guard snapshot.sha256 == sha256 else {
                        return "the source \(source) changed since it was published (its SHA-256 is now \(snapshot.sha256), "
                            + "the catalog promises \(sha256)); the dataset is not served until 'verbund datasets refresh \(dataset.id)'"
                    }
                    try context.database.transaction { tx in
                        try tx.execute("""
                            INSERT OR REPLACE INTO catalog_dataset_version (dataset_id, sha256, size, path, created_at_ms)
                            VALUES (?, ?, ?, ?, ?)
                            """, [.text(dataset.id), .text(sha256), .integer(snapshot.size), .text(snapshot.path),
                                  .integer(Self.milliseconds(now))])
                        try tx.execute("UPDATE catalog_dataset SET file_path = ?, version = ?, refresh_error = NULL WHERE id = ?",
                                       [.text(snapshot.path), .text(sha256), .text(dataset.id)])
                    }
                    return nil
                } catch {
                    return "no snapshot of version \(sha256) and the source cannot give it: \(error); "
                        + "the dataset is not served until 'verbund datasets refresh \(dataset.id)' succeeds"
                }
            }
            if let problem {
                _ = try? context.database.transaction { tx in
                    try tx.execute("DELETE FROM catalog_dataset_version WHERE dataset_id = ? AND sha256 = ?",
                                   [.text(dataset.id), .text(sha256)])
                    try tx.execute("UPDATE catalog_dataset SET refresh_error = ?, refresh_attempt_ms = ?, version = NULL WHERE id = ?",
                                   [.text(problem), .integer(Self.milliseconds(now)), .text(dataset.id)])
                }
                context.logger.error("catalog.dataset.needs-refresh", ["dataset": .string(dataset.id), "reason": .string(problem)])
            } else {
                context.logger.notice("catalog.dataset.snapshot-taken", ["dataset": .string(dataset.id), "version": .string(sha256)])
            }
        }
    }

    /// Removes the versions no dataset serves now and no unfinished transfer (REQUESTED, STARTED, SUSPENDED) is pinned
    /// to, and every snapshot file no remaining version names; returns the digests of the files removed.
    @discardableResult
    package func collectGarbage() -> [String] {
        snapshots.exclusively {
            do {
                let keep: Set<String> = try context.database.transaction { tx in
                    let pinned = try Self.hasTransfers(tx)
                        ? "SELECT expected_sha256 FROM transfer_process WHERE role = 'provider' AND expected_sha256 IS NOT NULL "
                            + "AND (state IS NULL OR state IN ('REQUESTED', 'STARTED', 'SUSPENDED'))"
                        : "SELECT NULL WHERE 0"
                    try tx.execute("""
                        DELETE FROM catalog_dataset_version WHERE
                            sha256 NOT IN (SELECT version FROM catalog_dataset WHERE id = dataset_id AND version IS NOT NULL)
                            AND sha256 NOT IN (\(pinned))
                        """)
                    return Set(try tx.query("SELECT DISTINCT sha256 FROM catalog_dataset_version").map { try $0.string("sha256") })
                }
                let removed = snapshots.collect(keeping: keep)
                if !removed.isEmpty {
                    context.logger.info("catalog.snapshots.collected", ["removed": .array(removed.map { .string($0) })])
                }
                return removed
            } catch {
                context.logger.error("catalog.snapshots.collect-failed", ["error": .error(error)])
                return []
            }
        }
    }

    private static func hasTransfers(_ tx: Transaction) throws -> Bool {
        try tx.queryFirst("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'transfer_process'") != nil
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
}
