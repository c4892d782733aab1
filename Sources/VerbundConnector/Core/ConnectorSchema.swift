import Foundation
import VerbundStore

/// Brings the state database to the schema of the given modules: first `StoreSchema` (version 1, via
/// `Database.migrate`), then every module migration not yet recorded in `connector_migration`, ascending by version,
/// each in its own transaction together with its record — so a crash leaves whole migrations only.
///
/// `PRAGMA user_version` stays at the store's version; module migrations are tracked per version because the module
/// ranges leave gaps (see `ConnectorModule`).
package enum ConnectorSchema {
    /// Why the modules' migrations cannot be applied.
    package enum SchemaError: Error, CustomStringConvertible, Sendable {
        case outsideRange(module: String, version: Int, range: ClosedRange<Int>)
        case duplicateVersion(Int, modules: [String])
        case notAscending(module: String)
        /// The database records a migration this build does not have: it was written by a newer Verbund or one with
        /// another module set.
        case unknownApplied(version: Int, module: String, name: String)

        package var description: String {
            switch self {
            case let .outsideRange(module, version, range):
                return "module \(module) declares migration \(version) outside its range \(range.lowerBound)–\(range.upperBound)"
            case let .duplicateVersion(version, modules):
                return "migration version \(version) is declared by several modules: \(modules.joined(separator: ", "))"
            case let .notAscending(module):
                return "the migrations of module \(module) are not in ascending version order"
            case let .unknownApplied(version, module, name):
                return "the database has migration \(version) (\(module): \(name)) that this build of verbund does not know; "
                    + "run the verbund version that wrote it, or restore a backup"
            }
        }
    }

    /// Validates the modules' migrations and applies the missing ones; returns the versions applied now.
    @discardableResult
    package static func migrate(_ database: Database, modules: [any ConnectorModule], now: Date) throws -> [Int] {
        try database.migrate(StoreSchema.migrations)
        var owners: [Int: [String]] = [:]
        var all: [(module: String, migration: Migration)] = []
        for module in modules {
            var previous = Int.min
            for migration in module.migrations {
                guard module.migrationVersions.contains(migration.version) else {
                    throw SchemaError.outsideRange(module: module.name, version: migration.version, range: module.migrationVersions)
                }
                guard migration.version > previous else { throw SchemaError.notAscending(module: module.name) }
                previous = migration.version
                owners[migration.version, default: []].append(module.name)
                all.append((module.name, migration))
            }
        }
        if let (version, names) = owners.first(where: { $0.value.count > 1 }) {
            throw SchemaError.duplicateVersion(version, modules: names)
        }
        try database.transaction { tx in
            try tx.execute("""
                CREATE TABLE IF NOT EXISTS connector_migration (
                    version       INTEGER PRIMARY KEY NOT NULL,
                    module        TEXT NOT NULL,
                    name          TEXT NOT NULL,
                    applied_at_ms INTEGER NOT NULL
                ) STRICT
                """)
        }
        let applied = try database.read { tx in
            try tx.query("SELECT version, module, name FROM connector_migration ORDER BY version").map { row in
                (version: try row.int("version"), module: try row.string("module"), name: try row.string("name"))
            }
        }
        let known = Set(all.map(\.migration.version))
        if let unknown = applied.first(where: { !known.contains($0.version) }) {
            throw SchemaError.unknownApplied(version: unknown.version, module: unknown.module, name: unknown.name)
        }
        let done = Set(applied.map(\.version))
        var appliedNow: [Int] = []
        for (module, migration) in all.sorted(by: { $0.migration.version < $1.migration.version })
        where !done.contains(migration.version) {
            try database.transaction { tx in
                do throws(SQLiteError) {
                    try tx.executeScript(migration.sql)
                } catch {
                    throw MigrationError.failed(version: migration.version, name: "\(module): \(migration.name)", underlying: error)
                }
                try tx.execute("INSERT INTO connector_migration (version, module, name, applied_at_ms) VALUES (?, ?, ?, ?)",
                               [.integer(Int64(migration.version)), .text(module), .text(migration.name),
                                .integer(Int64((now.timeIntervalSince1970 * 1000).rounded(.down)))])
            }
            appliedNow.append(migration.version)
        }
        return appliedNow
    }
}
