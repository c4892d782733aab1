import VerbundStore

/// The audit module's tables (versions 40–49, see `ConnectorModule`).
enum AuditSchema {
    static let migrations: [Migration] = [
        Migration(version: 40, name: "signed tree heads, peers' tree heads, trust history", sql: """
            -- Every tree head this connector signed, oldest first; the newest is served to peers.
            CREATE TABLE audit_signed_tree_head (
                id           INTEGER PRIMARY KEY,
                tree_size    INTEGER NOT NULL CHECK (tree_size >= 0),
                root_hash    BLOB NOT NULL CHECK (length(root_hash) = 32),
                timestamp_ms INTEGER NOT NULL,
                jws          TEXT NOT NULL
            ) STRICT;

            -- Per peer: the newest of its signed tree heads that was shown consistent with the ones before, and
            -- whether the peer ever presented one that is not (then the conflicting head is kept as evidence).
            CREATE TABLE audit_peer_state (
                member_id        TEXT PRIMARY KEY NOT NULL,
                tree_size        INTEGER NOT NULL,
                root_hash        BLOB NOT NULL CHECK (length(root_hash) = 32),
                timestamp_ms     INTEGER NOT NULL,
                jws              TEXT NOT NULL,
                status           TEXT NOT NULL CHECK (status IN ('consistent', 'inconsistent')),
                problem          TEXT,
                conflicting_jws  TEXT,
                checked_at_ms    INTEGER NOT NULL
            ) STRICT;

            -- Every signed tree head received from a peer and accepted as consistent.
            CREATE TABLE audit_peer_tree_head (
                id             INTEGER PRIMARY KEY,
                member_id      TEXT NOT NULL,
                tree_size      INTEGER NOT NULL,
                root_hash      BLOB NOT NULL CHECK (length(root_hash) = 32),
                timestamp_ms   INTEGER NOT NULL,
                jws            TEXT NOT NULL,
                received_at_ms INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX audit_peer_tree_head_member ON audit_peer_tree_head (member_id, tree_size);

            -- Registries and CRLs this connector held, so evidence can name the ones in force at a given time.
            CREATE TABLE audit_trust_history (
                kind           TEXT NOT NULL CHECK (kind IN ('registry', 'crl')),
                number         INTEGER NOT NULL,
                content        TEXT NOT NULL,
                sha256         TEXT NOT NULL,
                accepted_at_ms INTEGER NOT NULL,
                PRIMARY KEY (kind, number)
            ) STRICT;
            """),
    ]
}
