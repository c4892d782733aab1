/// The schema of the daemon's state database, as an ordered list of migrations.
///
/// Append new versions at the end; never edit a released one (files in the field already ran it).
/// Timestamps are integer milliseconds since the Unix epoch (UTC).
package enum StoreSchema {
    package static let migrations: [Migration] = [
        Migration(version: 1, name: "outbox and audit log", sql: """
            -- Messages to peers, written in the same transaction as the state change that causes them.
            CREATE TABLE outbox (
                id                 TEXT PRIMARY KEY NOT NULL,
                destination        TEXT NOT NULL,
                method             TEXT NOT NULL,
                path               TEXT NOT NULL,
                body               BLOB NOT NULL,
                created_at_ms      INTEGER NOT NULL,
                next_attempt_at_ms INTEGER NOT NULL,
                attempts           INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                last_error         TEXT,
                delivered_at_ms    INTEGER
            ) STRICT;
            CREATE INDEX outbox_due ON outbox (next_attempt_at_ms) WHERE delivered_at_ms IS NULL;

            -- RFC 9162 Merkle log: entries with their leaf hashes, and every complete inner node
            -- (level >= 1) so that roots and proofs need O(log n) reads.
            CREATE TABLE audit_log_leaf (
                leaf_index INTEGER PRIMARY KEY NOT NULL CHECK (leaf_index >= 0),
                entry      BLOB NOT NULL,
                leaf_hash  BLOB NOT NULL CHECK (length(leaf_hash) = 32)
            ) STRICT;
            CREATE TABLE audit_log_node (
                level      INTEGER NOT NULL CHECK (level >= 1),
                node_index INTEGER NOT NULL CHECK (node_index >= 0),
                hash       BLOB NOT NULL CHECK (length(hash) = 32),
                PRIMARY KEY (level, node_index)
            ) STRICT, WITHOUT ROWID;
            -- The log is append-only: refuse edits at the lowest level too.
            CREATE TRIGGER audit_log_leaf_no_update BEFORE UPDATE ON audit_log_leaf
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TRIGGER audit_log_leaf_no_delete BEFORE DELETE ON audit_log_leaf
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TRIGGER audit_log_node_no_update BEFORE UPDATE ON audit_log_node
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TRIGGER audit_log_node_no_delete BEFORE DELETE ON audit_log_node
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            """),
    ]

    /// The version this build writes.
    package static var currentVersion: Int { migrations.last?.version ?? 0 }
}

extension Database {
    /// Opens the daemon's state database and brings it to `StoreSchema.currentVersion`.
    package static func openStore(path: String, configuration: Configuration = Configuration()) throws -> Database {
        let database = try Database(path: path, configuration: configuration)
        try database.migrate(StoreSchema.migrations)
        return database
    }
}
