/// One step of the schema: a script that moves the database from `version - 1` to `version`.
package struct Migration: Sendable, Equatable {
    package let version: Int
    package let name: String
    package let sql: String

    package init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

/// Why a database could not be brought to the expected schema.
package enum MigrationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The migration list itself is wrong: versions must be 1, 2, 3, … in order.
    case invalidSequence(String)
    /// The file was written by a newer Verbund.
    case databaseNewer(found: Int, supported: Int)
    /// A script failed; its transaction was rolled back and the version is unchanged.
    case failed(version: Int, name: String, underlying: SQLiteError)

    package var description: String {
        switch self {
        case .invalidSequence(let reason):
            "invalid migration list: \(reason)"
        case .databaseNewer(let found, let supported):
            "the database has schema version \(found) but this build of verbund supports up to \(supported); "
                + "upgrade verbund or restore a backup made by this version"
        case .failed(let version, let name, let underlying):
            "migration \(version) (\(name)) failed and was rolled back: \(underlying)"
        }
    }
}

/// The outcome of `Database.migrate`.
package struct MigrationResult: Sendable, Equatable {
    /// Schema version found before migrating.
    package let from: Int
    /// Schema version after migrating.
    package let to: Int
}

extension Database {
    /// The schema version recorded in the file header (`PRAGMA user_version`).
    package func schemaVersion() throws -> Int {
        try read { tx in try tx.queryFirst("PRAGMA user_version")?[0].integerValue.map(Int.init) ?? 0 }
    }

    /// Applies every migration newer than the file's `user_version`, each in its own transaction
    /// together with the new `user_version`, so a crash leaves the file at a whole version.
    @discardableResult
    package func migrate(_ migrations: [Migration]) throws -> MigrationResult {
        for (offset, migration) in migrations.enumerated() where migration.version != offset + 1 {
            throw MigrationError.invalidSequence(
                "migration '\(migration.name)' has version \(migration.version), expected \(offset + 1)")
        }
        let latest = migrations.last?.version ?? 0
        let start = try schemaVersion()
        guard start <= latest else { throw MigrationError.databaseNewer(found: start, supported: latest) }
        for migration in migrations where migration.version > start {
            try transaction { tx in
                // Re-read under the write lock: another process may have migrated meanwhile.
                let current = try tx.queryFirst("PRAGMA user_version")?[0].integerValue ?? 0
                guard current < migration.version else { return }
                do throws(SQLiteError) {
                    try tx.executeScript(migration.sql)
                    // PRAGMA takes no parameters; the version is an Int we formatted ourselves.
                    try tx.execute("PRAGMA user_version = \(migration.version)")
                } catch {
                    throw MigrationError.failed(version: migration.version, name: migration.name, underlying: error)
                }
            }
        }
        return MigrationResult(from: start, to: try schemaVersion())
    }
}

extension SQLiteValue {
    /// The integer, if this is `.integer`.
    package var integerValue: Int64? {
        if case .integer(let number) = self { return number }
        return nil
    }
}
